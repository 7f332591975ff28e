package io.hearth.gateway.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one wire form of a time in the API and on the WebSocket (docs/api.md, "Conventions"):
 * ISO-8601 in UTC with exactly three fraction digits, {@code 2026-12-03T15:30:29.123Z}, whatever
 * the instant's precision (the store keeps milliseconds).
 */
public final class Timestamps {
  private static final DateTimeFormatter WIRE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** {@code t} in the wire form; null stays null. */
  public static String wire(Instant t) {
    return t == null ? null : WIRE.format(t);
  }
}
