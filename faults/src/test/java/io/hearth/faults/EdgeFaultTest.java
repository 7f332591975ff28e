package io.hearth.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway process (embedded broker) at its edges (docs/reliability.md, scenarios 5 and 7):
 * CoAP devices behind a UDP relay that loses 30 % of the datagrams each way, and a flood of
 * WebSocket connections that never authenticate while the owner connects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EdgeFaultTest {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeFaultTest.class);
  static final double LOSS = 0.3;
  static final int COMMAND_TIMEOUT_MS = 8000;
  /** Every command ends this soon after its timeoutMs. */
  static final Duration SETTLE_SLACK = Duration.ofSeconds(4);
  private static final List<String> COAP = List.of("lossy-lamp1", "lossy-lamp2");

  private final List<LossyUdpProxy> proxies = new ArrayList<>();
  private Simulator coapSim;
  private Simulator mqttSim;
  private GatewayProcess gw;

  @BeforeAll
  void start(@TempDir Path dir) {
    int brokerPort = Ports.freeTcp();
    String mqttUrl = "tcp://127.0.0.1:" + brokerPort;
    coapSim = Simulator.start(SimOptions.defaults(mqttUrl).withCoapBasePort(0)
        .withDefaultReportIntervalMs(Devices.QUIET_REPORT_MS), COAP.stream()
        .map(id -> SimDeviceSpec.coap(id, "light.dimmable", null)).toList());
    List<JsonObject> entries = new ArrayList<>();
    for (int i = 0; i < COAP.size(); i++) {
      LossyUdpProxy p = new LossyUdpProxy(LOSS, 12 + i).target(coapSim.coapDevice(COAP.get(i)).port());
      proxies.add(p);
      entries.add(GatewayProcess.coapEntry(COAP.get(i), "light.dimmable", "coap://127.0.0.1:" + p.port()));
    }
    SimDeviceSpec lamp = Devices.lamp("e-lamp");
    entries.add(GatewayProcess.mqttEntry(lamp));
    gw = new GatewayProcess(dir.resolve("gateway"), entries,
        Map.of("HEARTH_MQTT_EMBEDDED_PORT", Integer.toString(brokerPort))).start();
    mqttSim = Devices.simulate(mqttUrl, List.of(lamp));
    gw.awaitOnline("e-lamp");
  }

  @AfterAll
  void stop() {
    try (AutoCloseable g = gw; AutoCloseable m = mqttSim; AutoCloseable c = coapSim) {
      proxies.forEach(LossyUdpProxy::close);
    } catch (Exception e) {
      LOG.warn("close failed", e);
    }
  }

  @Test
  void coapBehindALossyLinkNeverHangsNeverExecutesTwiceAndEndsEveryCommand() {
    // GIVEN CoAP devices the gateway reaches only through a link that loses 30 % each way
    COAP.forEach(id -> gw.awaitDevice(id, d -> d.getBoolean("online", false), Duration.ofSeconds(30)));
    Map<String, Integer> executedBefore = new HashMap<>();
    COAP.forEach(id -> executedBefore.put(id, coapSim.device(id).commandsReceived()));

    // WHEN commands are sent to them at once
    Map<String, String> commands = new HashMap<>(); // commandId → device
    Map<String, Long> refused = new TreeMap<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 12; i++) {
      for (String id : COAP) {
        Http.Resp r = gw.command(id, new JsonObject().put("wait", false).put("timeoutMs", COMMAND_TIMEOUT_MS)
            .put("set", new JsonObject().put("brightness", 10 + i)));
        if (r.status() == 202) {
          commands.put(r.json().getString("commandId"), id);
        } else {
          r.assertProblem(409, "DEVICE_OFFLINE"); // marked offline by an earlier timeout: explicit
          refused.merge(id, 1L, Long::sum);
        }
      }
    }
    // THEN every accepted command ends explicitly within its timeout and a little
    Map<String, Long> statuses = new TreeMap<>();
    for (Map.Entry<String, String> c : commands.entrySet()) {
      JsonObject done = gw.awaitTerminal(c.getValue(), c.getKey(),
          Duration.ofMillis(COMMAND_TIMEOUT_MS).plus(SETTLE_SLACK).minusNanos(System.nanoTime() - t0).plusSeconds(1));
      statuses.merge(done.getString("status"), 1L, Long::sum);
    }
    LOG.info("measured: lossy CoAP, {} accepted, {} refused, ended {} in {} ms; datagrams {} relayed, {} lost",
        commands.size(), refused, statuses, (System.nanoTime() - t0) / 1_000_000,
        proxies.stream().mapToLong(LossyUdpProxy::forwarded).sum(), proxies.stream().mapToLong(LossyUdpProxy::dropped).sum());
    assertTrue(proxies.stream().allMatch(p -> p.dropped() > 0), "the relay lost nothing: not in the path?");
    // AND no request was executed twice (retransmissions absorbed), none more often than sent
    for (String id : COAP) {
      List<String> executed = coapSim.device(id).receivedCommandIds().subList(executedBefore.get(id),
          coapSim.device(id).commandsReceived());
      assertEquals(executed.size(), new HashSet<>(executed).size(), () -> id + " executed twice: " + executed);
      long sent = commands.values().stream().filter(id::equals).count();
      long succeeded = commands.entrySet().stream().filter(c -> c.getValue().equals(id))
          .filter(c -> "succeeded".equals(gw.getCommand(id, c.getKey()).json().getString("status"))).count();
      assertTrue(executed.size() <= sent, () -> id + ": " + executed.size() + " executions of " + sent + " commands");
      assertTrue(succeeded <= executed.size(), () -> id + ": " + succeeded + " succeeded, " + executed.size() + " executed");
    }
  }

  @Test
  void floodOfUnauthenticatedWebSocketsDoesNotKeepTheOwnerOut() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI ws = URI.create(gw.http().base().replace("http://", "ws://") + "/ws");
    // GIVEN 100 connections that never authenticate
    List<CompletableFuture<WebSocket>> flood = new ArrayList<>();
    List<WsClient> floodSockets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      WsClient s = new WsClient();
      floodSockets.add(s);
      flood.add(client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(ws, s));
    }
    int open = 0;
    Map<String, Long> refusedBy = new TreeMap<>();
    for (CompletableFuture<WebSocket> f : flood) {
      try {
        f.get(10, TimeUnit.SECONDS);
        open++;
      } catch (java.util.concurrent.ExecutionException e) {
        refusedBy.merge(e.getCause().getClass().getSimpleName(), 1L, Long::sum);
      }
    }
    LOG.info("measured: flood of 100 unauthenticated upgrades: {} open, refused {}", open, refusedBy);
    assertTrue(open > 0 && open <= 32, "open unauthenticated sockets: " + open);

    // WHEN the owner connects meanwhile
    WsClient owner = new WsClient();
    WebSocket o = client.newWebSocketBuilder().header("Authorization", "Bearer " + gw.http().token())
        .connectTimeout(Duration.ofSeconds(5)).buildAsync(ws, owner).get(10, TimeUnit.SECONDS);
    // THEN it is served: its states, and a command that the device executes
    o.sendText("{\"id\":1,\"type\":\"get_states\"}", true);
    JsonObject states = owner.next(Duration.ofSeconds(5));
    assertTrue(states.getBoolean("ok"), states::encode);
    o.sendText(new JsonObject().put("id", 2).put("type", "command").put("device", "e-lamp")
        .put("set", new JsonObject().put("brightness", 57)).encode(), true);
    JsonObject accepted = owner.next(Duration.ofSeconds(5));
    assertTrue(accepted.getBoolean("ok"), accepted::encode);
    String cid = accepted.getJsonObject("result").getString("commandId");
    assertEquals("succeeded", gw.awaitTerminal("e-lamp", cid, Duration.ofSeconds(10)).getString("status"));
    // AND the flood's sockets are closed by the auth deadline (5 s), the owner's stays open
    await().atMost(Duration.ofSeconds(10)).until(() -> floodSockets.stream().filter(s -> s.opened).allMatch(s -> s.closed.isDone()));
    LOG.info("measured: flood sockets closed with {}", floodSockets.stream().filter(s -> s.opened)
        .map(s -> s.closed.getNow(-1)).distinct().toList());
    assertTrue(floodSockets.stream().filter(s -> s.opened).allMatch(s -> s.closed.getNow(-1) == 1008));
    assertTrue(!owner.closed.isDone(), "the owner's socket was closed");
    o.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
