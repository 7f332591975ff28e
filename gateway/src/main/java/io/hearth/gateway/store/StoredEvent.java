package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the event log: a gateway event as the app's WebSocket replays it after a reconnect.
 *
 * @param seq      gateway-wide, strictly increasing
 * @param kind     {@code state}, {@code availability}, {@code command}, {@code event} or {@code device}
 * @param deviceId the device it is about
 * @param ts       when it happened (kept to the millisecond)
 * @param dataJson the kind's payload as a JSON object text
 */
public record StoredEvent(long seq, String kind, String deviceId, Instant ts, String dataJson) {
  public StoredEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(dataJson, "dataJson");
  }
}
