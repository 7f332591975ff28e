package io.hearth.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.relay.config.RelayConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's bounds (docs/relay.md, "Flow control"): an app that stops reading its socket while
 * its hub floods it is closed (1008 overflow, and the hub told so) instead of queued without end;
 * app sockets past {@code tunnel.maxStreamsPerHub} are refused 503 {@code HUB_BUSY}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayFlowControlTest {
  private static final String SESSION = "X-Hearth-Relay-Session";
  @TempDir
  Path dir;
  private Vertx vertx;

  @AfterEach
  void stop() {
    AppClient.sync(vertx.close());
  }

  @Test
  void aSlowAppIsClosedWithOverflowAndTheHubIsTold() throws Exception {
    // GIVEN a relay whose app sockets may queue 64 KiB, one socket per hub, and a hub bound to a user
    vertx = Vertx.vertx();
    FakeWeChat wechat = new FakeWeChat(vertx);
    RelayServer relay = new RelayServer(new RelayConfigLoader(Map.of("HEARTH_RELAY_HTTP_HOST", "127.0.0.1",
        "HEARTH_RELAY_HTTP_PORT", "0", "HEARTH_RELAY_TLS_DEV_SELF_SIGNED", "true",
        "HEARTH_RELAY_DATA_DIR", dir.toString(), "HEARTH_RELAY_WECHAT_APP_ID", FakeWeChat.APP_ID,
        "HEARTH_RELAY_WECHAT_SECRET", FakeWeChat.SECRET, "HEARTH_RELAY_WECHAT_API_BASE", wechat.apiBase(),
        "HEARTH_RELAY_TUNNEL_STREAM_QUEUE_BYTES", "65536", "HEARTH_RELAY_TUNNEL_MAX_STREAMS_PER_HUB", "1")).load(null));
    AppClient.sync(vertx.deployVerticle(relay));
    FakeHub hub = new FakeHub(vertx, relay.port(), relay.devCertificatePath(), "1111222233334444aaaabbbbccccdddd")
        .connect("a-link-code-for-the-flow-test", null);
    hub.key.get(30, TimeUnit.SECONDS);
    hub.answer = req -> new JsonObject().put("status", 200).put("body",
        Base64.getEncoder().encodeToString("{\"accessToken\":\"t\"}".getBytes()));
    AppClient app = new AppClient(vertx, relay.port(), relay.devCertificatePath());
    String session = app.call(HttpMethod.POST, "/relay/v1/auth/wechat",
        new JsonObject().put("code", wechat.code("c1", "o-slow")), Map.of()).expect(200).getString("sessionToken");
    app.call(HttpMethod.POST, "/relay/v1/homes/bind", new JsonObject().put("hubId", hub.hubId).put("code", "x"),
        Map.of(SESSION, session)).expect(200);
    Map<String, String> h = Map.of(SESSION, session, "Authorization", "Bearer t");
    AppClient.Socket slow = app.socket("/homes/" + hub.hubId + "/api/v1/ws", h);
    long stream = hub.frames.stream().filter(f -> "ws_open".equals(f.getString("t"))).findFirst().orElseThrow()
        .getLong("id");
    // a second socket is past the hub's bound
    try {
      app.socket("/homes/" + hub.hubId + "/api/v1/ws", h);
      throw new AssertionError("a second socket should be refused");
    } catch (io.vertx.core.http.UpgradeRejectedException e) {
      assertEquals(503, e.getStatus());
    }
    // WHEN the app stops reading and the hub sends 32 MiB of events
    slow.ws.pause();
    String chunk = "x".repeat(16 * 1024);
    vertx.runOnContext(v -> {
      for (int i = 0; i < 2048; i++) {
        hub.send(new JsonObject().put("t", "ws_data").put("id", stream).put("text", "{\"type\":\"event\",\"pad\":\""
            + chunk + "\"}"));
      }
    });
    // THEN the relay gives up on the app (1008) and tells the hub, rather than holding 32 MiB
    await().atMost(Duration.ofSeconds(60)).until(() -> hub.frames.stream().anyMatch(f ->
        "ws_close".equals(f.getString("t")) && f.getLong("id") == stream && f.getInteger("code") == 1008));
    slow.ws.resume();
    await().atMost(Duration.ofSeconds(30)).until(slow.ws::isClosed);
    assertEquals((short) 1008, slow.ws.closeStatusCode());
  }
}
