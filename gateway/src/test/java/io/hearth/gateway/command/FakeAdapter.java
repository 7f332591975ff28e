package io.hearth.gateway.command;

import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.DeviceSink;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link DeviceAdapter} double: records every send and lets the test complete or fail the send
 * future (on the core context). Tasmota and Zigbee2MQTT are state-confirmed, the rest reply.
 */
final class FakeAdapter implements DeviceAdapter {
  /** One send: the command, its future, and whether the durability check held at that moment. */
  record Sent(DeviceCommand command, Promise<Void> promise, boolean checkHeld) {
    String cid() {
      return command.commandId();
    }
  }

  private final String protocol;
  final List<Sent> sent = new CopyOnWriteArrayList<>();
  /** False: the transport is down. */
  volatile boolean up = true;
  /** True: every send future succeeds at once; false: the test completes it. */
  volatile boolean ackAtOnce = true;
  /** Evaluated at each send (on the core context). */
  volatile Predicate<DeviceCommand> checkAtSend = c -> true;

  FakeAdapter(String protocol) {
    this.protocol = protocol;
  }

  List<String> sentIds() {
    return sent.stream().map(Sent::cid).toList();
  }

  String protocol() {
    return protocol;
  }

  @Override
  public Future<Void> start(DeviceSink sink) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> attach(DeviceDefinition device, Profile profile) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> detach(String deviceId) {
    return Future.succeededFuture();
  }

  @Override
  public Confirmation confirmation(DeviceDefinition device) {
    return Set.of("tasmota", "zigbee2mqtt").contains(device.binding().convention()) ? Confirmation.STATE
        : Confirmation.REPLY;
  }

  @Override
  public Future<Void> send(DeviceCommand command) {
    Promise<Void> p = Promise.promise();
    sent.add(new Sent(command, p, checkAtSend.test(command)));
    if (ackAtOnce) {
      p.complete();
    }
    return p.future();
  }

  @Override
  public boolean isUp() {
    return up;
  }
}
