package io.hearth.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared device scenarios on the embedded HiveMQ broker (the default setup), plus every
 * built-in profile, the remaining error codes, asynchronous commands and idempotent retries.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedBrokerE2eTest extends DeviceScenarios {

  @Override
  protected List<SimDeviceSpec> devices() {
    List<SimDeviceSpec> d = super.devices();
    d.addAll(List.of(
        GatewayFixture.device("plug", "plug"),
        GatewayFixture.device("climate", "sensor.climate"),
        GatewayFixture.device("door", "sensor.contact"),
        GatewayFixture.device("lock", "lock"),
        GatewayFixture.device("tas-light", "light.dimmable").withConvention("tasmota", "tasmota_e2e_light"),
        GatewayFixture.device("async-lamp", "light.dimmable"),
        GatewayFixture.device("idem-lamp", "light.dimmable"),
        GatewayFixture.device("idem-plug", "plug")));
    return d;
  }

  @Override
  protected GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) {
    return GatewayFixture.builder(dir);
  }

  @Override
  protected boolean brokerRefusesHugePayloads() {
    return true; // the embedded broker's packet limit is 256 KiB
  }

  // ---- scenario 1: the other built-in profiles

  @Test
  void plugRoundTripAndItsReadOnlyMeter() {
    roundTrip("plug", new JsonObject().put("power", true), new JsonObject().put("power", false));
    JsonObject p = gw.command("plug", new JsonObject().put("set", new JsonObject().put("power_w", 10.0)))
        .assertProblem(422, "VALIDATION_FAILED");
    assertEquals(java.util.Set.of("power_w"), errorProperties(p));
  }

  @Test
  void brokerCountersAreOnTheMetricsPage() {
    // the embedded broker counts what it drops and refuses (docs/broker.md)
    Http.Resp r = gw.http().get("/metrics");
    assertEquals(200, r.status(), r::body);
    for (String line : List.of("hearth_broker_publishes_dropped_total{reason=\"not_authorized\"}",
        "hearth_broker_publishes_dropped_total{reason=\"rate_limited\"}", "hearth_broker_subscriptions_refused_total",
        "hearth_broker_connections_refused_total")) {
      assertTrue(r.body().contains(line), () -> line + " missing from " + r.body());
    }
  }

  @Test
  void lockRoundTrip() {
    roundTrip("lock", new JsonObject().put("locked", true), new JsonObject().put("locked", false));
  }

  @Test
  void tasmotaLightRoundTripIsConfirmedByState() {
    roundTrip("tas-light", new JsonObject().put("power", true).put("brightness", 25),
        new JsonObject().put("brightness", 80));
  }

  @Test
  void climateSensorIsReadOnlyAndReportsReachTheGateway() {
    readOnlySensor("climate", new JsonObject().put("temperature", 30.0).put("humidity", 50.0),
        Map.of("temperature", 23.5, "humidity", 41.0, "battery", 77));
  }

  @Test
  void contactSensorIsReadOnlyAndReportsReachTheGateway() {
    SimDevice sim = gw.sim("door");
    boolean open = Boolean.TRUE.equals(sim.state().get("open"));
    readOnlySensor("door", new JsonObject().put("open", !open), Map.of("open", !open));
  }

  private void readOnlySensor(String id, JsonObject set, Map<String, Object> report) {
    SimDevice sim = gw.sim(id);
    int received = sim.commandsReceived();
    long v0 = gw.device(id).getLong("version");
    // a set is refused, one entry per property, and nothing is sent
    JsonObject p = gw.command(id, new JsonObject().put("set", set)).assertProblem(422, "VALIDATION_FAILED");
    assertEquals(set.fieldNames(), errorProperties(p), p::encode);
    assertEquals(received, sim.commandsReceived());
    // a report from the device is shown with a new version
    sim.setState(report);
    JsonObject expected = new JsonObject(new java.util.HashMap<>(report));
    JsonObject d = gw.awaitDevice(id, x -> {
      try {
        assertShows(x.getJsonObject("state"), expected);
        return true;
      } catch (AssertionError e) {
        return false;
      }
    });
    assertTrue(d.getLong("version") > v0, d::encode);
  }

  @Test
  void curtainPositionAndActions() {
    SimDevice sim = gw.sim("curtain");
    // set: the motor moves in steps; the gateway converges on the commanded position
    gw.set("curtain", new JsonObject().put("position", 50));
    gw.awaitDevice("curtain", d -> Integer.valueOf(50).equals(d.getJsonObject("state").getValue("position")));
    // action open → 100
    JsonObject open = gw.command("curtain", new JsonObject().put("action", "open").put("input", new JsonObject()))
        .assertJson(200);
    assertEquals("succeeded", open.getString("status"), open::encode);
    assertSucceeded("curtain", open.getString("commandId"));
    gw.awaitDevice("curtain", d -> Integer.valueOf(100).equals(d.getJsonObject("state").getValue("position")));
    // action close, then stop while it moves: it halts short of 0 and the gateway shows where
    JsonObject close = gw.command("curtain", new JsonObject().put("action", "close")).assertJson(200);
    assertEquals("succeeded", close.getString("status"), close::encode);
    gw.awaitDevice("curtain", d -> d.getJsonObject("state").getInteger("position") < 100); // moving
    JsonObject stop = gw.command("curtain", new JsonObject().put("action", "stop")).assertJson(200);
    assertEquals("succeeded", stop.getString("status"), stop::encode);
    int stopped = (Integer) sim.state().get("position");
    assertTrue(stopped > 0 && stopped < 100, "stopped at " + stopped);
    gw.awaitDevice("curtain", d -> Integer.valueOf(stopped).equals(d.getJsonObject("state").getValue("position")));
    assertEquals(stopped, sim.state().get("position"), "the curtain moved on after stop");
  }

  // ---- scenario 2: the remaining error codes, wait=false

  @Test
  void brokenJsonIs400() {
    Http.Resp r = gw.http().post("/devices/lamp/commands", "{\"set\": {\"power\": tru");
    r.assertProblem(400, "MALFORMED_REQUEST");
  }

  @Test
  void hugeBodyIs413() {
    String pad = "x".repeat(gw.config().http().maxBodyBytes() + 1024);
    Http.Resp r = gw.http().post("/devices/lamp/commands",
        new JsonObject().put("set", new JsonObject().put("power", true)).put("pad", pad));
    r.assertProblem(413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void waitFalseIs202ThenSucceeds() {
    SimDevice sim = gw.sim("async-lamp");
    JsonObject a = gw.command("async-lamp", new JsonObject().put("wait", false)
        .put("set", new JsonObject().put("power", true).put("brightness", 42))).assertJson(202);
    assertEquals("pending", a.getString("status"), a::encode);
    String cid = a.getString("commandId");
    assertNotNull(cid);
    JsonObject c = gw.awaitTerminal("async-lamp", cid, Duration.ofSeconds(10));
    assertEquals("succeeded", c.getString("status"), c::encode);
    assertSucceeded("async-lamp", cid);
    assertShows(gw.device("async-lamp").getJsonObject("state"), new JsonObject().put("power", true).put("brightness", 42));
    assertEquals(42, sim.state().get("brightness"));
  }

  // ---- scenario 3: idempotent retries

  @Test
  void idempotentRetrySendsOnce() {
    SimDevice sim = gw.sim("idem-lamp");
    int before = sim.commandsReceived();
    JsonObject body = new JsonObject().put("set", new JsonObject().put("brightness", 64));
    JsonObject first = gw.command("idem-lamp", body, "Idempotency-Key", "key-seq-1").assertJson(200);
    // a state change in between: the repeat still answers the first result
    gw.set("idem-lamp", new JsonObject().put("brightness", 12));
    JsonObject second = gw.command("idem-lamp", body, "Idempotency-Key", "key-seq-1").assertJson(200);
    assertEquals(first, second);
    // a marker command: anything sent before it has arrived once it is answered
    gw.set("idem-lamp", new JsonObject().put("brightness", 13));
    assertEquals(before + 3, sim.commandsReceived(), sim.receivedCommandIds()::toString);
    assertEquals(1, Collections.frequency(sim.receivedCommandIds(), first.getString("commandId")));
  }

  @Test
  void concurrentIdempotentRetriesSendOnce() throws Exception {
    SimDevice sim = gw.sim("idem-plug");
    int before = sim.commandsReceived();
    JsonObject body = new JsonObject().put("set", new JsonObject().put("power", true));
    List<CompletableFuture<Http.Resp>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(gw.http().postAsync("/devices/idem-plug/commands", body, "Idempotency-Key", "key-conc-1"));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    JsonObject first = all.get(0).get().assertJson(200);
    for (CompletableFuture<Http.Resp> f : all) {
      assertEquals(first, f.get().assertJson(200));
    }
    gw.set("idem-plug", new JsonObject().put("power", false)); // marker
    assertEquals(before + 2, sim.commandsReceived(), sim.receivedCommandIds()::toString);
  }
}
