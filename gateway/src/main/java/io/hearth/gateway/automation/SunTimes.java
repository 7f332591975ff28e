package io.hearth.gateway.automation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Sunrise and sunset computed locally, without the internet: the sunrise equation with the
 * equation of centre and the obliquity of the ecliptic, as NOAA's solar calculator and the
 * Wikipedia "Sunrise equation" article give it, with the standard -0.833° altitude for refraction
 * and the sun's radius. Accurate to about a minute at mid latitudes (checked against a published
 * table in {@code SunTimesTest}). Polar day or night: no sunrise or sunset that day.
 */
public final class SunTimes {
  private static final double J2000 = 2451545.0;
  private static final double UNIX_EPOCH_JD = 2440587.5;
  private static final double OBLIQUITY = Math.toRadians(23.4397);
  private static final double HORIZON = Math.toRadians(-0.833);

  private final double latitude;
  private final double longitude;

  /** @param latitude degrees north, @param longitude degrees east (west negative) */
  public SunTimes(double latitude, double longitude) {
    this.latitude = latitude;
    this.longitude = longitude;
  }

  /** The sunrise of that (UTC-anchored, local solar) day, or empty in polar day or night. */
  public Optional<Instant> sunrise(LocalDate date) {
    return event(date, -1);
  }

  public Optional<Instant> sunset(LocalDate date) {
    return event(date, +1);
  }

  private Optional<Instant> event(LocalDate date, int sign) {
    // days since J2000 of the date (its Julian date at 00:00 UTC, rounded up: the date's noon)
    double n = Math.ceil(date.toEpochDay() + UNIX_EPOCH_JD - J2000 + 0.0008);
    double meanSolarNoon = n - longitude / 360.0;
    double m = Math.toRadians(normalize(357.5291 + 0.98560028 * meanSolarNoon));
    double centre = 1.9148 * Math.sin(m) + 0.0200 * Math.sin(2 * m) + 0.0003 * Math.sin(3 * m);
    double lambda = Math.toRadians(normalize(Math.toDegrees(m) + centre + 180 + 102.9372));
    double transit = J2000 + meanSolarNoon + 0.0053 * Math.sin(m) - 0.0069 * Math.sin(2 * lambda);
    double sinDecl = Math.sin(lambda) * Math.sin(OBLIQUITY);
    double cosDecl = Math.cos(Math.asin(sinDecl));
    double phi = Math.toRadians(latitude);
    double cosHour = (Math.sin(HORIZON) - Math.sin(phi) * sinDecl) / (Math.cos(phi) * cosDecl);
    if (cosHour < -1 || cosHour > 1) {
      return Optional.empty();
    }
    double jd = transit + sign * Math.toDegrees(Math.acos(cosHour)) / 360.0;
    return Optional.of(Instant.ofEpochMilli(Math.round((jd - UNIX_EPOCH_JD) * 86_400_000.0)));
  }

  private static double normalize(double degrees) {
    double d = degrees % 360;
    return d < 0 ? d + 360 : d;
  }
}
