package io.hearth.gateway.relay;

import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.events.GatewayEvent;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which events are alerts (docs/relay.md, "Alerts"): a lock reporting {@code locked: false}
 * ("unlocked"), a contact sensor {@code open: true} ("opened"), a device going offline ("offline").
 * Each becomes an {@code alert} frame to the relay, which sends it as a WeChat subscribe message.
 * An alert while the tunnel is down is not kept (the app's event log still has the event).
 */
final class RelayAlerts implements Consumer<GatewayEvent> {
  private final Function<String, String> deviceName;
  private final Consumer<JsonObject> send;

  RelayAlerts(Function<String, String> deviceName, Consumer<JsonObject> send) {
    this.deviceName = deviceName;
    this.send = send;
  }

  @Override
  public void accept(GatewayEvent e) {
    text(e).ifPresent(text -> send.accept(new JsonObject().put("t", TunnelFrames.ALERT).put("device", e.deviceId())
        .put("deviceName", deviceName.apply(e.deviceId())).put("text", text).put("ts", Timestamps.wire(e.ts()))));
  }

  /** The alert's text for this event, if it is one. */
  static Optional<String> text(GatewayEvent e) {
    if (GatewayEvent.AVAILABILITY.equals(e.kind()) && Boolean.FALSE.equals(e.data().get("online"))) {
      return Optional.of("offline");
    }
    if (GatewayEvent.STATE.equals(e.kind()) && e.data().get("changes") instanceof Map<?, ?> changes) {
      if (Boolean.FALSE.equals(changes.get("locked"))) {
        return Optional.of("unlocked");
      }
      if (Boolean.TRUE.equals(changes.get("open"))) {
        return Optional.of("opened");
      }
    }
    return Optional.empty();
  }
}
