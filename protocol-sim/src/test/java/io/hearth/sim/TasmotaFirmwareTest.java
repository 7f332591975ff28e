package io.hearth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated Tasmota devices against Mosquitto, checked against what Tasmota 14's sources publish
 * (each expectation quotes the source it comes from). Mosquitto's log shows the CONNECT and
 * SUBSCRIBE packets as the device sent them.
 */
@Timeout(90)
class TasmotaFirmwareTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static MosquittoBroker broker;
  private static GatewaySide gw;
  /** Sees the start-up messages; never cleared. */
  private static GatewaySide boot;
  private static Simulator sim;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    broker = MosquittoBroker.start(dir.resolve("mosquitto"));
    gw = new GatewaySide(broker.url(), "tele/#", "stat/#", "cmnd/#");
    boot = new GatewaySide(broker.url(), "tele/tasmota_1A2B3C/#", "stat/tasmota_1A2B3C/#", "cmnd/tasmota_1A2B3C/#");
    sim = Simulator.start(SimOptions.defaults(broker.url()), List.of(
        SimDeviceSpec.tasmota("desk-plug", "plug", "tasmota_1A2B3C", "5CCF7F1A2B3C")
            .withFirmware("telePeriodMs", 300).withFirmware("discoveryDelayMs", 100),
        SimDeviceSpec.tasmota("tas-bulb", "light.dimmable", "tasmota_B0B001", "5CCF7FB0B001")
            .withFirmware("discoveryDelayMs", 100),
        SimDeviceSpec.tasmota("quiet-plug", "plug", "tasmota_QQ", "5CCF7F00AA00").withFirmware("setOption90", true)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (sim != null) {
      sim.close();
    }
    if (gw != null) {
      gw.close();
      boot.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void connectsWithTheFirmwaresClientIdProtocolAndWill() {
    String log = broker.log();
    // my_user_config.h: #define MQTT_CLIENT_ID "DVES_%06X" (the chip id: the MAC's last 3 bytes);
    // PubSubClient speaks MQTT 3.1.1 (Mosquitto: p2), MQTT_CLEAN_SESSION 1 (c1)
    assertTrue(log.contains("as DVES_1A2B3C (p2, c1, k30"), log); // MQTT_KEEPALIVE 30
    // MqttReconnect: MqttClient.connect(..., stopic = tele/<t>/LWT, 1, lwt_retain, "Offline", ...)
    assertTrue(log.contains("Will message specified (7 bytes) (r1, q1)."), log);
    assertTrue(log.contains("tele/tasmota_1A2B3C/LWT"), log);
  }

  @Test
  void announcesItselfInMqttConnectedOrder() {
    // xdrv_02_9_mqtt.ino MqttConnected: LWT Online (retained); the empty cmnd/<t>/POWER unless SetOption90;
    // subscribe cmnd/<t>/#, the group topic, the fallback topic; then (initial connection) INFO1..3 and
    // MqttPublishAllPowerState
    GatewaySide.Msg online = boot.expect("tele/tasmota_1A2B3C/LWT", "Online"::equals);
    GatewaySide.Msg power = boot.expect("cmnd/tasmota_1A2B3C/POWER", ""::equals);
    GatewaySide.Msg info1 = boot.expect("tele/tasmota_1A2B3C/INFO1", p -> p.contains("\"FallbackTopic\":\"cmnd/DVES_1A2B3C_fb/\"")
        && p.contains("\"GroupTopic\":\"cmnd/tasmotas/\""));
    GatewaySide.Msg result = boot.expect("stat/tasmota_1A2B3C/RESULT", "{\"POWER\":\"OFF\"}"::equals);
    GatewaySide.Msg stat = boot.expect("stat/tasmota_1A2B3C/POWER", "OFF"::equals);
    assertTrue(boot.indexOf(online) < boot.indexOf(power), "LWT first");
    assertTrue(boot.indexOf(power) < boot.indexOf(info1) && boot.indexOf(info1) < boot.indexOf(result)
        && boot.indexOf(result) < boot.indexOf(stat), boot.all().toString());
    String log = broker.log();
    for (String filter : List.of("cmnd/tasmota_1A2B3C/#", "cmnd/tasmotas/#", "cmnd/DVES_1A2B3C_fb/#")) {
      assertTrue(log.contains(filter), "subscribed " + filter + ": " + log);
    }
  }

  @Test
  void publishesRetainedTasmotaDiscovery() throws Exception {
    // xdrv_12_discovery.ino TasDiscovery: tasmota/discovery/<NetworkUniqueId()>/config, retained
    try (GatewaySide late = new GatewaySide(broker.url(), "tasmota/discovery/#")) {
      GatewaySide.Msg m = late.expect("tasmota/discovery/5CCF7F1A2B3C/config", p -> p.startsWith("{"));
      assertTrue(m.retained());
      @SuppressWarnings("unchecked")
      Map<String, Object> c = JSON.readValue(m.payload(), Map.class);
      // TasDiscoverMessage writes these fields, in this order
      assertEquals(List.of("ip", "dn", "fn", "hn", "mac", "md", "ty", "if", "ofln", "onln", "state", "sw", "t", "ft",
          "tp", "rl", "swc", "swn", "btn", "so", "lk", "lt_st", "bat", "dslp", "sho", "sht", "ver"),
          new ArrayList<>(c.keySet()));
      assertEquals("5CCF7F1A2B3C", c.get("mac"));
      assertEquals("tasmota_1A2B3C", c.get("t"));
      assertEquals("%prefix%/%topic%/", c.get("ft")); // MQTT_FULLTOPIC default
      assertEquals(List.of("cmnd", "stat", "tele"), c.get("tp"));
      assertEquals("Offline", c.get("ofln")); // MQTT_LWT_OFFLINE
      assertEquals("Online", c.get("onln"));
      assertEquals(List.of("OFF", "ON", "TOGGLE", "HOLD"), c.get("state")); // GetStateText(0..3)
      assertEquals(1, ((List<?>) c.get("rl")).get(0)); // Relay[i] = 1: simple relay
      assertEquals(1, c.get("ver"));
      GatewaySide.Msg bulb = late.expect("tasmota/discovery/5CCF7FB0B001/config", p -> p.startsWith("{"));
      @SuppressWarnings("unchecked")
      Map<String, Object> b = JSON.readValue(bulb.payload(), Map.class);
      assertEquals(2, ((List<?>) b.get("rl")).get(0)); // Relay[i] = 2: a light
      assertEquals(2, b.get("lt_st")); // Light.subtype LST_COLDWARM
      late.expect("tasmota/discovery/5CCF7F1A2B3C/sensors", p -> p.startsWith("{\"sn\":{") && p.endsWith(",\"ver\":1}"));
    }
  }

  @Test
  void groupAndFallbackTopicsCarryCommands() throws Exception {
    // MqttConnected subscribes GetGroupTopic_P (cmnd/tasmotas/#) and GetFallbackTopic_P (cmnd/DVES_XXXXXX_fb/#)
    gw.send("cmnd/DVES_1A2B3C_fb/POWER", "ON");
    gw.expect("stat/tasmota_1A2B3C/POWER", "ON"::equals);
    gw.clear();
    gw.send("cmnd/tasmotas/Status", "5");
    gw.expect("stat/tasmota_1A2B3C/STATUS5", p -> p.contains("\"Mac\":\"5C:CF:7F:1A:2B:3C\""));
    gw.expect("stat/tasmota_B0B001/STATUS5", p -> p.contains("\"Mac\":\"5C:CF:7F:B0:B0:01\""));
    sim.device("desk-plug").setState(Map.of("power", false));
  }

  @Test
  void lightCommandsAnswerWithTheFullLightState() throws Exception {
    String r = "stat/tasmota_B0B001/RESULT";
    gw.send("cmnd/tasmota_B0B001/Dimmer", "100");
    gw.expect(r, p -> p.startsWith("{\"POWER\":\"ON\",\"Dimmer\":100,"));
    // xdrv_04_light.ino LightSetColorTemp: "ct = 153 mirek = 6500K = Cold = CCWW = FF00";
    // ResponseLightState for LST_COLDWARM: POWER, Dimmer, Color, White, CT, Channel
    gw.send("cmnd/tasmota_B0B001/CT", "153");
    gw.expect(r, "{\"POWER\":\"ON\",\"Dimmer\":100,\"Color\":\"FF00\",\"White\":100,\"CT\":153,\"Channel\":[100,0]}"::equals);
    // "ct = 500 mirek = 2000K = Warm = CCWW = 00FF"
    gw.send("cmnd/tasmota_B0B001/CT", "500");
    gw.expect(r, "{\"POWER\":\"ON\",\"Dimmer\":100,\"Color\":\"00FF\",\"White\":100,\"CT\":500,\"Channel\":[0,100]}"::equals);
    assertEquals(2000, sim.device("tas-bulb").state().get("color_temp")); // 500 mired is the profile's 2000 K
    // CmndColorTemperature: out of 153..500 -> ResponseCmndNumber(ct)
    gw.send("cmnd/tasmota_B0B001/CT", "600");
    gw.expect(r, "{\"CT\":500}"::equals);
    // CmndDimmer: "If value is ok, change it, otherwise report old value"
    gw.send("cmnd/tasmota_B0B001/Dimmer", "abc");
    gw.expect(r, "{\"Dimmer\":100}"::equals);
    // support_command.ino: a command no driver handles
    gw.send("cmnd/tasmota_B0B001/Frobnicate", "1");
    gw.expect(r, "{\"Command\":\"Unknown\"}"::equals);
    // CmndPower -> MqttPublishPowerState: RESULT {"POWER":"OFF"} and stat/<t>/POWER OFF
    gw.send("cmnd/tasmota_B0B001/POWER", "TOGGLE");
    gw.expect(r, "{\"POWER\":\"OFF\"}"::equals);
    gw.expect("stat/tasmota_B0B001/POWER", "OFF"::equals);
    // Backlog: each command in turn, each with its own result
    gw.send("cmnd/tasmota_B0B001/Backlog", "Dimmer 40; CT 327");
    gw.expect(r, p -> p.contains("\"Dimmer\":40") && p.contains("\"CT\":327"));
    assertEquals(Map.of("power", true, "brightness", 40, "color_temp", 3058), sim.device("tas-bulb").state());
    assertTrue(sim.device("tas-bulb").receivedCommandIds().contains("CT=153"));
  }

  @Test
  void plugReportsEnergyEveryTelePeriod() throws Exception {
    gw.send("cmnd/tasmota_1A2B3C/POWER", "1");
    gw.expect("stat/tasmota_1A2B3C/RESULT", "{\"POWER\":\"ON\"}"::equals);
    // xdrv_03_energy.ino EnergyShow: ENERGY {TotalStartTime, Total, Yesterday, Today, Period (at TelePeriod),
    // Power, ApparentPower, ReactivePower, Factor, Voltage, Current}
    GatewaySide.Msg m = gw.expect("tele/tasmota_1A2B3C/SENSOR", p -> p.contains("\"Power\":6"));
    @SuppressWarnings("unchecked")
    Map<String, Object> energy = (Map<String, Object>) JSON.readValue(m.payload(), Map.class).get("ENERGY");
    assertEquals(List.of("TotalStartTime", "Total", "Yesterday", "Today", "Period", "Power", "ApparentPower",
        "ReactivePower", "Factor", "Voltage", "Current"), new ArrayList<>(energy.keySet()));
    assertTrue(m.payload().contains("\"Yesterday\":0.000"), m.payload()); // energy_resolution 3 decimals
    // MqttShowState: tele/<t>/STATE with the power state
    gw.expect("tele/tasmota_1A2B3C/STATE", p -> p.contains("\"POWER\":\"ON\"") && p.contains("\"UptimeSec\":"));
    // light commands exist only on lights (Xdrv04 decodes them only with a light)
    gw.send("cmnd/tasmota_1A2B3C/Dimmer", "50");
    gw.expect("stat/tasmota_1A2B3C/RESULT", "{\"Command\":\"Unknown\"}"::equals);
    sim.device("desk-plug").setState(Map.of("power", false));
  }

  @Test
  void telePeriodAndFaults() throws Exception {
    // support_command.ino CmndTeleperiod: 2..9 become 10 ("if (tele_period > 0 && tele_period < 10) = 10")
    gw.send("cmnd/tasmota_B0B001/TelePeriod", "5");
    gw.expect("stat/tasmota_B0B001/RESULT", "{\"TelePeriod\":10}"::equals);
    SimDevice bulb = sim.device("tas-bulb");
    bulb.setFaults(SimFaults.NONE.withDropReplies(true));
    gw.send("cmnd/tasmota_B0B001/Dimmer", "33");
    org.awaitility.Awaitility.await().until(() -> Integer.valueOf(33).equals(bulb.state().get("brightness")));
    bulb.setFaults(SimFaults.NONE.withReplyDelayMs(300));
    long t0 = System.nanoTime();
    gw.send("cmnd/tasmota_B0B001/Dimmer", "");
    gw.expect("stat/tasmota_B0B001/RESULT", "{\"Dimmer\":33}"::equals); // the lost answer never came
    assertTrue(System.nanoTime() - t0 >= 300_000_000L);
    assertEquals(List.of(), gw.on("stat/tasmota_B0B001/RESULT").stream()
        .filter(x -> x.payload().contains("\"Dimmer\":33,")).toList()); // the full-state answer was dropped
    bulb.setFaults(SimFaults.NONE);
  }

  @Test
  void setOption90SendsNoNonJsonMessages() throws Exception {
    // MqttConnected: "if (!Settings->flag4.only_json_message) ... MqttPublishPrefixTopic_P(CMND, S_RSLT_POWER)"
    // MqttPublishPowerState: stat/<t>/POWER only without SetOption90
    gw.send("cmnd/tasmota_QQ/POWER", "ON");
    gw.expect("stat/tasmota_QQ/RESULT", "{\"POWER\":\"ON\"}"::equals);
    gw.send("cmnd/tasmota_QQ/SetOption90", "");
    gw.expect("stat/tasmota_QQ/RESULT", "{\"SetOption90\":\"ON\"}"::equals);
    assertEquals(List.of(), gw.on("cmnd/tasmota_QQ/POWER").stream().filter(x -> x.payload().isEmpty()).toList());
    assertEquals(List.of(), gw.on("stat/tasmota_QQ/POWER"));
  }

  @Test
  void brokerPublishesTheWillWhenThePowerIsCut() throws Exception {
    SimDevice plug = sim.device("quiet-plug");
    plug.goOffline(true); // MQTT 3.1.1: the TCP connection just ends, no DISCONNECT
    gw.expect("tele/tasmota_QQ/LWT", "Offline"::equals);
    try (GatewaySide late = new GatewaySide(broker.url(), "tele/tasmota_QQ/LWT")) {
      GatewaySide.Msg m = late.expect("tele/tasmota_QQ/LWT", "Offline"::equals);
      assertTrue(m.retained());
    }
    assertFalse(plug.online());
    gw.clear();
    plug.goOnline();
    gw.expect("tele/tasmota_QQ/LWT", "Online"::equals);
    gw.expect("tele/tasmota_QQ/INFO3", p -> p.contains("RestartReason")); // a reboot: initial connection again
  }
}
