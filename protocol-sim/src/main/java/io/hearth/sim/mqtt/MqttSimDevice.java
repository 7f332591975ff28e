package io.hearth.sim.mqtt;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.behavior.Behavior;
import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.support.CommandMemory;
import io.hearth.sim.support.CoreDelegatingDevice;
import io.hearth.sim.support.DeviceCore;
import io.hearth.sim.support.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated device on MQTT: binds one {@link Behavior} to one {@link MqttConvention} and plays
 * faults, duplicate suppression, reply delays and periodic reports. Everything that touches the
 * behaviour or the connection runs on the device's own event-loop context (shared with many other
 * devices); the public methods hop onto it through {@link OnContext}. The transport-neutral part
 * (behaviour, faults, counters, reports) lives in a {@link DeviceCore}; this class keeps the
 * connection, the topics and the duplicate memory of the {@link CommandMemory}.
 */
public final class MqttSimDevice extends CoreDelegatingDevice {

  private static final Logger LOG = LoggerFactory.getLogger(MqttSimDevice.class);

  private final DeviceCore core;
  private final MqttConvention convention;
  private final CommandMemory memory = new CommandMemory();
  private final ReconnectingLink link;

  /**
   * @throws IllegalArgumentException for an unknown profile or convention
   */
  public MqttSimDevice(Vertx vertx, Context context, SimOptions options, SimDeviceSpec spec) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    this.core = new DeviceCore(vertx, context, options, spec, new Reports());
    this.convention = Conventions.of(spec);
    LinkOptions lo = new LinkOptions(spec.id(), 5, convention.availabilityTopic(), convention.offlinePayload(), true,
        spec.username(), spec.password(), convention.subscriptions(), 1, true, 0);
    this.link = new ReconnectingLink(vertx, options, spec.id(), lo, core.random(), this::onMessage, new Session());
  }

  /**
   * Connects (retrying until {@link #close()}), subscribes, publishes the full state and
   * {@code online}; completes once the broker acknowledged the availability message.
   */
  @Override
  public Future<Void> start() {
    return core.start(link::bringUp);
  }

  /** Subscribes, then the full state and availability. */
  private final class Session implements ReconnectingLink.Session {
    @Override
    public Future<Void> onConnected(MqttLink l, boolean boot) {
      return l.subscribe().compose(v -> {
        List<Publication> hello = new ArrayList<>(convention.periodicReport(core.state()));
        hello.add(new Publication(convention.availabilityTopic(), convention.onlinePayload(), true));
        return l.publishAll(hello);
      });
    }

    @Override
    public List<Publication> goodbye() {
      return List.of(new Publication(convention.availabilityTopic(), convention.offlinePayload(), true));
    }
  }

  private void onMessage(MqttPublishMessage msg) {
    Inbound in = convention.decode(msg.topicName(), msg.payload().getBytes(), core.state());
    if (in.kind() == Inbound.Kind.IGNORE) {
      LOG.debug("message ignored [device: {}, topic: {}, reason: {}]", core.id(), msg.topicName(), in.error());
      return;
    }
    core.received(in.cid());
    LOG.debug("command received [device: {}, cid: {}, kind: {}]", core.id(), in.cid(), in.kind());
    if (convention.commandIds() && !memory.begin(in.cid())) {
      Outcome first = memory.outcome(in.cid());
      LOG.debug("duplicate command [device: {}, cid: {}, answered: {}]", core.id(), in.cid(), first != null);
      if (first != null) {
        confirm(in, first);
      }
      return;
    }
    core.afterReplyDelay(() -> execute(in));
  }

  private void execute(Inbound in) {
    Outcome outcome;
    switch (in.kind()) {
      case INVALID:
        outcome = Outcome.fail(in.error());
        break;
      case QUERY:
        outcome = Outcome.success();
        break;
      case SET:
        outcome = core.set(in.values());
        break;
      case ACTION:
        outcome = core.act(in.name(), in.values());
        break;
      default:
        return;
    }
    if (convention.commandIds()) {
      memory.finish(in.cid(), outcome);
    }
    publish(convention.commandEffects(in, outcome, core.refresh()));
    confirm(in, outcome);
  }

  private void confirm(Inbound in, Outcome outcome) {
    if (core.dropReply()) {
      LOG.debug("confirmation dropped [device: {}, cid: {}]", core.id(), in.cid());
      return;
    }
    publish(convention.confirmation(in, outcome, core.state()));
    LOG.debug("command answered [device: {}, cid: {}, ok: {}]", core.id(), in.cid(), outcome.ok());
  }

  private void publish(List<Publication> ps) {
    link.publish(ps);
  }

  // ---- public API (any thread) ----

  @Override
  protected DeviceCore core() {
    return core;
  }

  @Override
  public void goOffline(boolean withWill) {
    core.await(() -> link.goOffline(withWill));
  }

  @Override
  public void goOnline() {
    LOG.info("device going online [device: {}]", core.id());
    core.await(link::bringUp);
  }

  @Override
  public String lastError() {
    return link.lastError();
  }

  @Override
  public boolean online() {
    return link.online();
  }

  @Override
  public void publishRaw(String subtopic, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    String topic = convention.rawTopic(subtopic);
    core.await(() -> link.publishOne(new Publication(topic, payload, false)));
  }

  /** Stops timers and ends the connection (the broker publishes the will). */
  @Override
  public Future<Void> close() {
    return core.close(link::close);
  }

  /** The device's reports as MQTT publications of its convention. */
  private final class Reports implements DeviceCore.Reports {
    @Override
    public void stateChanged(Map<String, Object> snapshot) {
      publish(convention.stateReport(snapshot));
    }

    @Override
    public void periodicReport(Map<String, Object> snapshot) {
      publish(convention.periodicReport(snapshot));
    }

    @Override
    public void event(String name, Map<String, Object> data) {
      publish(convention.event(name, data));
    }
  }
}
