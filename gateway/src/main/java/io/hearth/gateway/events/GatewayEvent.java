package io.hearth.gateway.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, as the app sees it on the WebSocket ({@code docs/websocket.md}, "Events").
 *
 * @param seq      gateway-wide, strictly increasing
 * @param kind     {@code state}, {@code availability}, {@code command}, {@code event} or {@code device}
 * @param deviceId the device it is about
 * @param ts       when it happened
 * @param data     the kind's payload (e.g. {@code {"changes":{…},"version":18}})
 */
public record GatewayEvent(long seq, String kind, String deviceId, Instant ts, Map<String, Object> data) {
  public static final String STATE = "state";
  public static final String AVAILABILITY = "availability";
  public static final String COMMAND = "command";
  public static final String EVENT = "event";
  public static final String DEVICE = "device";
  /** A notify action's message (docs/websocket.md, "alert"); deviceId is empty. */
  public static final String ALERT = "alert";
  /** An automation changed or a run ended (docs/websocket.md, "automation"); deviceId is empty. */
  public static final String AUTOMATION = "automation";

  public GatewayEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(ts, "ts");
    data = data == null ? Map.of() : data;
  }
}
