package io.hearth.gateway.history;

import io.hearth.device.PropertySpec;
import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.history.HistoryQuery.Agg;
import io.hearth.gateway.history.HistoryQuery.Cursor;
import io.hearth.gateway.history.HistoryQuery.Kind;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /devices/{id}/history} (docs/history.md): checks the parameters against the device's
 * profile and answers one page. Every client mistake is 400 MALFORMED_REQUEST naming the parameter;
 * an unknown device (or one a guest may not see, see AccessGuard) 404 DEVICE_NOT_FOUND.
 */
public final class HistoryHandlers {
  /** Points or buckets of a page when {@code limit} is not given. */
  public static final int DEFAULT_LIMIT = 1000;
  static final Duration MIN_STEP = Duration.ofSeconds(1);
  static final Duration MAX_STEP = Duration.ofDays(366);
  private static final Pattern STEP = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private final DeviceRegistry registry;
  private final HistoryService service;
  private final Clock clock;
  private final int maxPageSize;

  public HistoryHandlers(DeviceRegistry registry, HistoryService service, Clock clock, int maxPageSize) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.service = Objects.requireNonNull(service, "service");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxPageSize = maxPageSize;
  }

  /** The handlers by operationId. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    return Map.of("getDeviceHistory", this::history);
  }

  private void history(RoutingContext ctx) {
    HistoryQuery q;
    try {
      RegisteredDevice device = registry.require(ctx.pathParam("id"));
      q = parse(device, name -> ctx.queryParams().get(name));
    } catch (DomainException | ApiException e) {
      Problems.send(ctx, e);
      return;
    }
    service.query(q).onSuccess(body -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .end(new JsonObject(body).encode());
      }
    }).onFailure(e -> Problems.send(ctx, e));
  }

  /** Checks the request's parameters ({@code param} gives each, null when absent). */
  HistoryQuery parse(RegisteredDevice device, java.util.function.Function<String, String> param) {
    String property = param.apply("property");
    PropertySpec spec = property == null ? null : device.profile().property(property);
    if (spec == null) {
      throw bad("property", "the device's profile (" + device.profile().id() + ") has no property '" + property + "'");
    }
    Kind kind = switch (spec.type()) {
      case BOOL -> Kind.BOOLEAN;
      case INT -> Kind.INTEGER;
      case FLOAT -> Kind.NUMBER;
      case ENUM -> Kind.ENUM;
      case STRING -> throw bad("property", "'" + property + "' is a string property: no history is kept of it");
    };
    Instant to = instant(param.apply("to"), "to", clock.instant());
    Instant from = instant(param.apply("from"), "from", to.minus(Duration.ofDays(1)));
    if (!from.isBefore(to)) {
      throw bad("from", "must be before to (" + from + " is not before " + to + ")");
    }
    long stepMs = step(param.apply("step"));
    Agg agg = agg(param.apply("agg"), kind, stepMs);
    int limit = limit(param.apply("limit"));
    Cursor cursor = cursor(param.apply("cursor"), from.toEpochMilli(), to.toEpochMilli(), stepMs);
    return new HistoryQuery(device.id(), property, kind, from.toEpochMilli(), to.toEpochMilli(), stepMs, agg, limit,
        cursor);
  }

  private static Instant instant(String raw, String name, Instant absent) {
    if (raw == null) {
      return absent;
    }
    try {
      return Instant.parse(raw.trim());
    } catch (DateTimeParseException e) {
      throw bad(name, "must be an ISO-8601 instant such as 2026-12-03T00:00:00Z (an offset's + sent as %2B), not '"
          + raw + "'");
    }
  }

  /** 0 when absent (raw points). */
  private static long step(String raw) {
    if (raw == null) {
      return 0;
    }
    Matcher m = STEP.matcher(raw.trim());
    if (!m.matches()) {
      throw bad("step", "must be a whole number with a unit (ms, s, m, h, d) such as 60s, 5m or 1d, not '" + raw + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.compareTo(MIN_STEP) < 0 || d.compareTo(MAX_STEP) > 0) {
      throw bad("step", "must be between 1s and 366d, not " + raw);
    }
    return d.toMillis();
  }

  private static Agg agg(String raw, Kind kind, long stepMs) {
    if (raw == null) {
      return stepMs == 0 ? null : kind.numeric() ? Agg.STATS : Agg.STATE;
    }
    if (stepMs == 0) {
      throw bad("agg", "needs a step (raw points are not aggregated)");
    }
    Agg agg;
    try {
      agg = Agg.valueOf(raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("agg", "must be stats, delta or state, not '" + raw + "'");
    }
    if (kind.numeric() == (agg == Agg.STATE)) {
      throw bad("agg", kind.numeric() ? "state is for booleans and enums; a number takes stats or delta"
          : "stats and delta are for numbers; a boolean or enum takes state");
    }
    return agg;
  }

  private int limit(String raw) {
    if (raw == null) {
      return Math.min(DEFAULT_LIMIT, maxPageSize);
    }
    int limit;
    try {
      limit = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > maxPageSize) {
      throw bad("limit", "must be between 1 and " + maxPageSize + " (history.maxPageSize), not " + raw);
    }
    return limit;
  }

  private static Cursor cursor(String raw, long fromMs, long toMs, long stepMs) {
    if (raw == null) {
      return null;
    }
    Cursor c = Cursor.parse(raw.trim());
    if (c == null || c.ms() < fromMs || c.ms() >= toMs
        || (stepMs > 0 && (c.skip() != 0 || (c.ms() - fromMs) % stepMs != 0))) {
      throw bad("cursor", "is not a cursor of this range: pass nextCursor back with the same from, to and step");
    }
    return c;
  }

  private static ApiException bad(String param, String message) {
    return new ApiException(ErrorCode.MALFORMED_REQUEST, "parameter '" + param + "' " + message,
        List.of(new FieldError(param, message)));
  }
}
