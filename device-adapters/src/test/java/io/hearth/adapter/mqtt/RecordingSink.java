package io.hearth.adapter.mqtt;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.StateReport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the adapter reports, and every call made off the adapter's context. */
final class RecordingSink implements DeviceSink {

  record Availability(String deviceId, boolean online, String reason) {}

  private final Context context;
  final List<StateReport> states = new CopyOnWriteArrayList<>();
  final List<Availability> availability = new CopyOnWriteArrayList<>();
  final List<CommandReply> replies = new CopyOnWriteArrayList<>();
  final List<DeviceEvent> events = new CopyOnWriteArrayList<>();
  final List<Boolean> transport = new CopyOnWriteArrayList<>();
  final List<String> offContext = new CopyOnWriteArrayList<>();
  /** Completed with the next reply, when set. */
  volatile java.util.concurrent.CompletableFuture<CommandReply> nextReply;

  RecordingSink(Context context) {
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
    java.util.concurrent.CompletableFuture<CommandReply> waiting = nextReply;
    if (waiting != null) {
      waiting.complete(reply);
    }
  }

  @Override
  public void eventEmitted(DeviceEvent event) {
    check("eventEmitted");
    events.add(event);
  }

  @Override
  public void transportChanged(String protocol, boolean up) {
    check("transportChanged");
    if (!"mqtt".equals(protocol)) {
      offContext.add("transportChanged with protocol " + protocol);
    }
    transport.add(up);
  }

  /** Last state report of a device whose properties contain {@code key}, or null. */
  StateReport lastStateWith(String deviceId, String key) {
    for (int i = states.size() - 1; i >= 0; i--) {
      StateReport r = states.get(i);
      if (r.deviceId().equals(deviceId) && r.properties().containsKey(key)) {
        return r;
      }
    }
    return null;
  }
}
