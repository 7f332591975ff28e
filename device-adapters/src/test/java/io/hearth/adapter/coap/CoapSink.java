package io.hearth.adapter.coap;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.StateReport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the CoAP adapter reports, and every call made off the adapter's context. */
final class CoapSink implements DeviceSink {
  record Availability(String deviceId, boolean online, String reason) {}

  private final Context context;
  final List<StateReport> states = new CopyOnWriteArrayList<>();
  final List<Availability> availability = new CopyOnWriteArrayList<>();
  final List<CommandReply> replies = new CopyOnWriteArrayList<>();
  final List<DeviceEvent> events = new CopyOnWriteArrayList<>();
  final List<Boolean> transport = new CopyOnWriteArrayList<>();
  final List<String> offContext = new CopyOnWriteArrayList<>();

  CoapSink(Context context) {
    this.context = context;
  }

  private void check(String call) {
    if (Vertx.currentContext() != context) {
      offContext.add(call + " on " + Thread.currentThread().getName());
    }
  }

  @Override
  public void stateReported(StateReport report) {
    check("stateReported");
    states.add(report);
  }

  @Override
  public void availabilityChanged(String deviceId, boolean online, String reason) {
    check("availabilityChanged");
    availability.add(new Availability(deviceId, online, reason));
  }

  @Override
  public void commandReplied(CommandReply reply) {
    check("commandReplied");
    replies.add(reply);
  }

  @Override
  public void eventEmitted(DeviceEvent event) {
    check("eventEmitted");
    events.add(event);
  }

  @Override
  public void transportChanged(String protocol, boolean up) {
    check("transportChanged");
    transport.add(up);
  }

  /** True if some state report of the device shows every given value. */
  boolean reported(String deviceId, Map<String, Object> values) {
    return states.stream().anyMatch(r -> r.deviceId().equals(deviceId)
        && values.entrySet().stream().allMatch(e -> e.getValue().equals(r.properties().get(e.getKey()))));
  }

  CommandReply reply(String cid) {
    return replies.stream().filter(r -> r.commandId().equals(cid)).findFirst().orElse(null);
  }

  Availability lastAvailability(String deviceId) {
    for (int i = availability.size() - 1; i >= 0; i--) {
      if (availability.get(i).deviceId().equals(deviceId)) {
        return availability.get(i);
      }
    }
    return null;
  }
}
