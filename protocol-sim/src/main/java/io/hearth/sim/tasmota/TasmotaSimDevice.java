package io.hearth.sim.tasmota;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.mqtt.Json;
import io.hearth.sim.mqtt.LinkOptions;
import io.hearth.sim.mqtt.MqttLink;
import io.hearth.sim.mqtt.Publication;
import io.hearth.sim.mqtt.ReconnectingLink;
import io.hearth.sim.support.CoreDelegatingDevice;
import io.hearth.sim.support.DeviceCore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device running Tasmota 14 (a plug with energy metering, a CT bulb or a climate sensor), on the
 * wire as the firmware is: MQTT 3.1.1, client id {@code DVES_XXXXXX}, will {@code tele/<t>/LWT
 * Offline} retained, and on every connection the steps of {@code MqttConnected}
 * (xdrv_02_9_mqtt.ino): {@code Online} retained, the empty {@code cmnd/<t>/POWER} (unless
 * SetOption90), subscriptions to {@code cmnd/<t>/#}, the group topic and the fallback topic; after
 * boot INFO1..3, the power state and the first telemetry 5 s later; Tasmota discovery 10 s after
 * boot (1 s after a reconnect, {@code TasDiscoverInit}/{@code TasRediscover}, xdrv_12_discovery.ino).
 * Commands are {@link TasmotaCommands}; {@code Backlog} runs its commands 200 ms apart
 * ({@code BACKLOG_DELAY}). Everything runs on the device's context.
 */
public final class TasmotaSimDevice extends CoreDelegatingDevice implements TasmotaDevice {

  private static final Logger LOG = LoggerFactory.getLogger(TasmotaSimDevice.class);
  private static final long FIRST_TELE_MS = 5_000;
  private static final long REDISCOVER_MS = 1_000;
  private static final long BACKLOG_DELAY_MS = 200;

  private final Vertx vertx;
  private final DeviceCore core;
  private final ReconnectingLink link;
  private final TasmotaCommands commands = new TasmotaCommands(this);
  private final String ip;
  private final Deque<String[]> backlog = new ArrayDeque<>();
  private final TasmotaTelemetry telemetry;
  // confined to the context
  private volatile TasmotaSettings settings;
  private long telePeriodMs;
  private Instant bootTime = Instant.now();
  private int connectCount;
  private long backlogTimer = -1;
  private int ctShadow = -1;
  private int ctKelvin = -1;
  private Map<String, Object> reported = Map.of();

  /**
   * @throws IllegalArgumentException for a profile Tasmota is not simulated for, or bad settings
   */
  public TasmotaSimDevice(Vertx vertx, Context context, SimOptions options, SimDeviceSpec spec) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (!List.of("light.dimmable", "plug", "sensor.climate").contains(spec.profile())) {
      throw new IllegalArgumentException("profile " + spec.profile() + " of device " + spec.id()
          + " is not simulated over tasmota (light.dimmable, plug, sensor.climate are)");
    }
    this.settings = TasmotaSettings.of(spec);
    this.telePeriodMs = settings.telePeriodMs();
    this.core = new DeviceCore(vertx, context, options, spec, new Reports());
    this.ip = "192.168.1." + (100 + (spec.id().hashCode() & 0x7F));
    String t = settings.topic();
    LinkOptions lo = new LinkOptions(settings.clientId(), 4, "tele/" + t + "/LWT",
        "Offline".getBytes(StandardCharsets.UTF_8), true, spec.username(), spec.password(),
        List.of("cmnd/" + t + "/#", settings.groupTopicPrefix() + "#", settings.fallbackTopic() + "#"), 0, false,
        30); // my_user_config.h MQTT_KEEPALIVE
    this.link = new ReconnectingLink(vertx, options, spec.id(), lo, core.random(), this::onMessage, new Session());
    this.telemetry = new TasmotaTelemetry(vertx, this, core::refresh, link::publish);
  }

  @Override
  public Future<Void> start() {
    return core.start(link::bringUp);
  }

  /** {@code MqttConnected}, in the firmware's order. */
  private final class Session implements ReconnectingLink.Session {
    @Override
    public Future<Void> onConnected(MqttLink l, boolean boot) {
      connectCount++;
      String t = settings.topic();
      List<Publication> first = new ArrayList<>();
      first.add(new Publication("tele/" + t + "/LWT", bytes("Online"), true));
      if (!settings.setOption90()) {
        first.add(new Publication("cmnd/" + t + "/POWER", new byte[0], false)); // "Satisfy iobroker (#299)"
      }
      return l.publishAll(first).compose(v -> l.subscribe()).compose(v -> {
        List<Publication> then = new ArrayList<>();
        if (boot) {
          bootTime = Instant.now();
          int i = 1;
          for (Map<String, Object> info : TasmotaPayloads.info(TasmotaSimDevice.this)) {
            then.add(new Publication("tele/" + t + "/INFO" + i++, Json.write(info), false));
          }
          if (relays() > 0) {
            then.addAll(TasmotaCommands.powerState(TasmotaSimDevice.this));
          }
          telemetry.startTele(Math.min(FIRST_TELE_MS, telePeriodMs), telePeriodMs);
        }
        telemetry.scheduleDiscovery(boot ? settings.discoveryDelayMs() : REDISCOVER_MS);
        reported = current();
        return l.publishAll(then);
      });
    }

    @Override
    public List<Publication> goodbye() {
      return List.of(new Publication("tele/" + settings.topic() + "/LWT", bytes("Offline"), true));
    }
  }

  private void onMessage(MqttPublishMessage msg) {
    String type = commandOf(msg.topicName());
    if (type == null) {
      LOG.debug("message ignored [device: {}, topic: {}]", core.id(), msg.topicName());
      return;
    }
    String data = msg.payload().toString(StandardCharsets.UTF_8);
    core.received(type + (data.isEmpty() ? "" : "=" + data));
    core.afterReplyDelay(() -> {
      if (type.equalsIgnoreCase("Backlog")) {
        for (String part : data.split(";")) {
          String p = part.trim();
          if (!p.isEmpty()) {
            int sp = p.indexOf(' ');
            backlog.add(sp < 0 ? new String[] {p, ""} : new String[] {p.substring(0, sp), p.substring(sp + 1)});
          }
        }
        runBacklog();
      } else {
        run(type, data);
      }
    });
  }

  /** The command of a topic this device listens on: its own, the group's or the fallback topic. */
  private String commandOf(String topic) {
    for (String prefix : List.of("cmnd/" + settings.topic() + "/", settings.groupTopicPrefix(),
        settings.fallbackTopic())) {
      if (topic.startsWith(prefix)) {
        String rest = topic.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? null : rest;
      }
    }
    return null;
  }

  private void runBacklog() {
    if (backlogTimer >= 0 || backlog.isEmpty()) {
      return;
    }
    String[] next = backlog.poll();
    run(next[0], next[1]);
    backlogTimer = vertx.setTimer(BACKLOG_DELAY_MS, t -> {
      backlogTimer = -1;
      runBacklog();
    });
  }

  private void run(String type, String data) {
    TasmotaCommands.Result r = commands.execute(type, data);
    if (r.changed()) {
      reported = current();
    }
    if (r.rediscover()) {
      telemetry.scheduleDiscovery(REDISCOVER_MS);
    }
    if (core.dropReply()) {
      LOG.debug("result dropped [device: {}, command: {}]", core.id(), type);
      return;
    }
    link.publish(r.publications());
  }

  private void stopTimers() {
    telemetry.stop();
    vertx.cancelTimer(backlogTimer);
    backlogTimer = -1;
    backlog.clear();
  }

  // ---- TasmotaDevice ----

  @Override
  public TasmotaSettings settings() {
    return settings;
  }

  @Override
  public String module() {
    return "plug".equals(profile()) ? "Sonoff Pow R2" : "Generic";
  }

  @Override
  public String ip() {
    return ip;
  }

  @Override
  public Instant bootTime() {
    return bootTime;
  }

  @Override
  public int connectCount() {
    return connectCount;
  }

  @Override
  public int relays() {
    return "sensor.climate".equals(profile()) ? 0 : 1;
  }

  @Override
  public boolean light() {
    return "light.dimmable".equals(profile());
  }

  @Override
  public boolean power() {
    return Boolean.TRUE.equals(core.state().get("power"));
  }

  @Override
  public int dimmer() {
    return ((Number) core.state().get("brightness")).intValue();
  }

  @Override
  public int ct() {
    int kelvin = ((Number) core.state().get("color_temp")).intValue();
    if (kelvin != ctKelvin) { // changed by other means than CT: derive it
      ctShadow = TasmotaLight.ctFromKelvin(kelvin);
      ctKelvin = kelvin;
    }
    return ctShadow;
  }

  @Override
  public String powerKey() {
    return settings.setOption26() ? "POWER1" : "POWER";
  }

  @Override
  public Map<String, Object> lightState(boolean append) {
    return TasmotaLight.state(powerKey(), power(), dimmer(), ct(), append);
  }

  @Override
  public Map<String, Object> snapshot() {
    return core.state();
  }

  @Override
  public Outcome apply(Map<String, Object> props) {
    Outcome o = core.set(props);
    core.refresh();
    return o;
  }

  @Override
  public Outcome applyCt(int ct, Map<String, Object> alsoProps) {
    Map<String, Object> props = new LinkedHashMap<>(alsoProps);
    int kelvin = TasmotaLight.kelvinFromCt(ct);
    props.put("color_temp", kelvin);
    Outcome o = apply(props);
    if (o.ok()) {
      ctShadow = ct;
      ctKelvin = kelvin;
    }
    return o;
  }

  @Override
  public void setOption(int option, boolean on) {
    TasmotaSettings s = settings;
    settings = new TasmotaSettings(s.mac(), s.topic(), s.groupTopic(), s.telePeriodMs(), s.discoveryDelayMs(),
        option == 19 ? on : s.setOption19(), option == 26 ? on : s.setOption26(), option == 90 ? on : s.setOption90(),
        s.version(), s.discovery());
  }

  @Override
  public void telePeriod(int seconds) {
    telePeriodMs = seconds * 1000L;
    telemetry.startTele(telePeriodMs, telePeriodMs);
  }

  @Override
  public long telePeriodSeconds() {
    return telePeriodMs / 1000;
  }

  /** What a local change is compared with: power, dimmer, CT. */
  private Map<String, Object> current() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (relays() > 0) {
      m.put("power", power());
    }
    if (light()) {
      m.put("dimmer", dimmer());
      m.put("ct", ct());
    }
    return m;
  }

  // ---- SimDevice ----

  @Override
  protected DeviceCore core() {
    return core;
  }

  @Override
  public void goOffline(boolean withWill) {
    core.await(() -> {
      stopTimers();
      return link.goOffline(withWill);
    });
  }

  @Override
  public void goOnline() {
    core.await(link::bringUp);
  }

  @Override
  public boolean online() {
    return link.online();
  }

  @Override
  public String lastError() {
    return link.lastError();
  }

  /** The client id the device connects with ({@code DVES_XXXXXX}). */
  public String clientId() {
    return link.clientId();
  }

  /**
   * @param subtopic null: {@code stat/<t>/RESULT}; {@code STATE}: {@code tele/<t>/STATE};
   *                 {@code stat/POWER}: {@code stat/<t>/POWER}
   */
  @Override
  public void publishRaw(String subtopic, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    String t = settings.topic();
    String topic;
    if (subtopic == null || subtopic.isEmpty()) {
      topic = "stat/" + t + "/RESULT";
    } else {
      int slash = subtopic.indexOf('/');
      topic = slash < 0 ? "tele/" + t + "/" + subtopic
          : subtopic.substring(0, slash) + "/" + t + subtopic.substring(slash);
    }
    core.await(() -> link.publishOne(new Publication(topic, payload, false)));
  }

  @Override
  public Future<Void> close() {
    return core.close(() -> {
      stopTimers();
      return link.close();
    });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Local changes as the firmware reports them; telemetry runs on its own TelePeriod timer. */
  private final class Reports implements DeviceCore.Reports {
    @Override
    public void stateChanged(Map<String, Object> snapshot) {
      Map<String, Object> now = current();
      if (now.equals(reported)) {
        return; // sensors only report at TelePeriod
      }
      boolean powerChanged = !Objects.equals(now.get("power"), reported.get("power"));
      reported = now;
      if (powerChanged) {
        link.publish(TasmotaCommands.powerState(TasmotaSimDevice.this)); // a button press: ExecuteCommandPower
      } else if (light()) {
        link.publish(List.of(TasmotaCommands.json("stat/" + settings.topic() + "/RESULT", lightState(false))));
      }
    }

    @Override
    public void periodicReport(Map<String, Object> snapshot) {
      // the behaviour ticked; Tasmota reports at TelePeriod, not here
    }

    @Override
    public void event(String name, Map<String, Object> data) {
      // Tasmota devices have no events
    }
  }
}
