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

  private RelayServer relay;
  private FakeHub hub;
  private AppClient app;
  private Map<String, String> h;

  /** A relay (with these extra settings), a hub linked by hand, and a WeChat user bound to it. */
  private void start(Map<String, String> extra) throws Exception {
    vertx = Vertx.vertx();
    FakeWeChat wechat = new FakeWeChat(vertx);
    Map<String, String> env = new java.util.HashMap<>(Map.of("HEARTH_RELAY_HTTP_HOST", "127.0.0.1",
        "HEARTH_RELAY_HTTP_PORT", "0", "HEARTH_RELAY_TLS_DEV_SELF_SIGNED", "true",
        "HEARTH_RELAY_DATA_DIR", dir.toString(), "HEARTH_RELAY_WECHAT_APP_ID", FakeWeChat.APP_ID,
        "HEARTH_RELAY_WECHAT_SECRET", FakeWeChat.SECRET, "HEARTH_RELAY_WECHAT_API_BASE", wechat.apiBase()));
    env.putAll(extra);
    relay = new RelayServer(new RelayConfigLoader(env).load(null));
    AppClient.sync(vertx.deployVerticle(relay));
    hub = new FakeHub(vertx, relay.port(), relay.devCertificatePath(), "1111222233334444aaaabbbbccccdddd")
        .connect("a-link-code-for-the-flow-test", null);
    hub.key.get(30, TimeUnit.SECONDS);
    hub.answer = req -> new JsonObject().put("status", 200).put("body",
        Base64.getEncoder().encodeToString("{\"accessToken\":\"t\"}".getBytes()));
    app = new AppClient(vertx, relay.port(), relay.devCertificatePath());
    String session = app.call(HttpMethod.POST, "/relay/v1/auth/wechat",
        new JsonObject().put("code", wechat.code("c1", "o-slow")), Map.of()).expect(200).getString("sessionToken");
    app.call(HttpMethod.POST, "/relay/v1/homes/bind", new JsonObject().put("hubId", hub.hubId).put("code", "x"),
        Map.of(SESSION, session)).expect(200);
    h = Map.of(SESSION, session, "Authorization", "Bearer t");
  }

  @Test
  void perUserRateLimitAndBodySizeLimit() throws Exception {
    // GIVEN a user allowed 3 hub calls at once, then 1 a minute
    start(Map.of("HEARTH_RELAY_RATE_LIMITS_USER_BURST", "3", "HEARTH_RELAY_RATE_LIMITS_USER_PER_SECOND", "1",
        "HEARTH_RELAY_HTTP_MAX_BODY_BYTES", "2048"));
    String devices = "/homes/" + hub.hubId + "/api/v1/devices";
    // WHEN a body over http.maxBodyBytes comes: 413, nothing reaches the hub
    app.call(HttpMethod.POST, devices, new JsonObject().put("pad", "x".repeat(4096)), h).problem(413, "PAYLOAD_TOO_LARGE");
    // AND past the user's burst: 429 with Retry-After, and the hub is not asked
    for (int i = 0; i < 3; i++) {
      app.call(HttpMethod.GET, devices, null, h).expect(200);
    }
    AppClient.Answer limited = app.call(HttpMethod.GET, devices, null, h);
    limited.problem(429, "RATE_LIMITED");
    assertEquals("1", limited.headers().get("Retry-After"));
    assertEquals(3, hub.frames.stream().filter(f -> "req".equals(f.getString("t"))
        && f.getString("path").startsWith("/api/v1/devices")).count());
  }

  @Test
  void aSlowAppIsClosedWithOverflowAndTheHubIsTold() throws Exception {
    // GIVEN app sockets that may queue 64 KiB, one socket per hub
    start(Map.of("HEARTH_RELAY_TUNNEL_STREAM_QUEUE_BYTES", "65536", "HEARTH_RELAY_TUNNEL_MAX_STREAMS_PER_HUB", "1"));
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
