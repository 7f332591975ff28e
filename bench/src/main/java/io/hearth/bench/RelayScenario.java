package io.hearth.bench;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.relay.RelayServer;
import io.hearth.relay.config.RelayConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario {@code relay}, the relay's added latency: a real relay ({@link RelayServer}, TLS with its
 * development certificate, SQLite store, in this JVM, on its own Vert.x) and the round-trip bench
 * gateway, whose outbound tunnel links to it as an owner links a hub (docs/relay.md). A WeChat user
 * logs in through a local stand-in for {@code jscode2session} and binds the home with an invite
 * code. Then the same requests with the same hub token, one client, back to back: direct to the
 * gateway (plain HTTP, keep-alive) and through the relay (HTTPS, {@code /homes/{hubId}/api/v1/…},
 * the relay's session, the tunnel) — {@code GET /api/v1/devices/{id}} and a command with
 * {@code wait:true}.
 *
 * <p>The relay's per-user and per-hub rate limits ({@code rateLimits.*}) are raised so that the
 * bench measures latency, not the limiter; every other relay key keeps its default.
 */
final class RelayScenario implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayScenario.class);
  static final String DEVICE = BenchHome.mqttId(0);
  private static final String APP_ID = "wx0bench0000000000";
  private static final String SECRET = "bench-app-secret";
  private static final String SESSION_HEADER = "X-Hearth-Relay-Session";
  private static final Duration CALL = Duration.ofSeconds(15);

  private final BenchOptions options;
  private final Path dir;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private RelayServer relay;

  RelayScenario(BenchOptions options, Path dir) {
    this.options = Objects.requireNonNull(options, "options");
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** Starts the WeChat stand-in and the relay; {@link #tunnel()} then gives the gateway's keys. */
  RelayScenario start() {
    try {
      HttpServer wechat = fakeJsCode2Session(vertx);
      relay = new RelayServer(new RelayConfigLoader(relayEnv(wechat.actualPort())).load(null));
      Bench.join(vertx.deployVerticle(relay), CALL);
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The bench gateway's {@code relay.*} keys: this relay, trusting its development certificate. */
  GatewayConfig.Relay tunnel() {
    GatewayConfig.Relay d = GatewayConfig.Relay.OFF;
    return new GatewayConfig.Relay(true, "https://localhost:" + relay.port(), relay.devCertificatePath(),
        d.reconnectMinDelayMs(), d.reconnectMaxDelayMs(), d.maxStreams(), d.maxResponseBytes(),
        d.linkCodeTtlSeconds(), d.idleTimeoutMs());
  }

  /**
   * Links {@code home} (started with {@link #tunnel()}), logs a WeChat user in, binds the home and
   * measures. Results per request ({@code getDevice}, {@code commandWait}): direct, relayed, added
   * and ratio.
   */
  JsonObject run(BenchHome home, Map<String, Histogram> histograms) throws Exception {
    String hubId = link(home, relay);
    try (GatewayClient account = GatewayClient.relayed("localhost", relay.port(), relay.devCertificatePath(), "",
        Map.of())) {
      JsonObject login = ok(Bench.join(account.post(null, "/relay/v1/auth/wechat",
          new JsonObject().put("code", "bench-login")), CALL), "WeChat login");
      String session = login.getString("sessionToken");
      String invite = new JsonObject(Bench.join(home.client().post(home.ownerToken(), "/api/v1/users/invites",
          new JsonObject().put("role", "member")), CALL).body()).getString("code");
      JsonObject bound;
      try (GatewayClient user = GatewayClient.relayed("localhost", relay.port(), relay.devCertificatePath(), "",
          Map.of(SESSION_HEADER, session))) {
        bound = ok(Bench.join(user.post(null, "/relay/v1/homes/bind",
            new JsonObject().put("hubId", hubId).put("code", invite).put("name", "bench")), CALL), "bind");
      }
      // the token the hub gave the WeChat user, used both ways: direct and relayed differ only by the path
      String token = bound.getJsonObject("pair").getString("accessToken");
      try (GatewayClient relayed = GatewayClient.relayed("localhost", relay.port(), relay.devCertificatePath(),
          "/homes/" + hubId, Map.of(SESSION_HEADER, session))) {
        Paced.Op directGet = i -> get(home.client(), token);
        Paced.Op relayedGet = i -> get(relayed, token);
        Paced.Op directCommand = i -> command(home.client(), token, i);
        Paced.Op relayedCommand = i -> command(relayed, token, i);
        JsonObject out = new JsonObject().put("hubId", hubId);
        out.put("getDevice", compare("GET device", directGet, relayedGet, histograms));
        out.put("commandWait", compare("command wait", directCommand, relayedCommand, histograms));
        return out;
      }
    }
  }

  /** Stops the relay and the WeChat stand-in. */
  @Override
  public void close() {
    Bench.join(vertx.close(), CALL);
  }

  /** The owner links the hub ({@code POST /api/v1/relay/link}); its tunnel then links by itself. */
  private static String link(BenchHome home, RelayServer relay) {
    JsonObject link = ok(Bench.join(home.client().post(home.ownerToken(), "/api/v1/relay/link", new JsonObject()),
        CALL), "relay link");
    String hubId = link.getString("hubId");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!relay.hubs().isOnline(hubId)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the hub's tunnel did not link to the relay within 30 s");
      }
      LockSupport.parkNanos(20_000_000L); // poll again (bounded by the deadline)
    }
    return hubId;
  }

  private JsonObject compare(String what, Paced.Op directOp, Paced.Op relayedOp, Map<String, Histogram> histograms)
      throws Exception {
    int warm = options.quick() ? 50 : 500;
    double seconds = options.quick() ? 0.5 : 10;
    Paced.warmUp(warm, seconds, directOp);
    Paced.warmUp(warm, seconds, relayedOp);
    int samples = options.quick() ? options.samples() : options.samples() * 2;
    Histogram direct = Paced.sequential(samples, directOp);
    Histogram relayed = Paced.sequential(samples, relayedOp);
    histograms.put("relay " + what + " direct", direct);
    histograms.put("relay " + what + " relayed", relayed);
    Latency d = Latency.of(direct);
    Latency r = Latency.of(relayed);
    LOG.info("relay round trip [request: {}, direct p50: {} µs, relayed p50: {} µs, direct p99: {} µs,"
        + " relayed p99: {} µs]", what, d.p50(), r.p50(), d.p99(), r.p99());
    return new JsonObject().put("direct", d.toJson()).put("relayed", r.toJson())
        .put("addedP50Us", RoundTripScenario.round(r.p50() - d.p50()))
        .put("addedP99Us", RoundTripScenario.round(r.p99() - d.p99()))
        .put("ratioP50", RoundTripScenario.round(r.p50() / d.p50()))
        .put("ratioP99", RoundTripScenario.round(r.p99() / d.p99()));
  }

  private static void get(GatewayClient client, String token) {
    JsonObject device = Bench.join(client.get(token, "/api/v1/devices/" + DEVICE), CALL);
    RoundTripScenario.check(DEVICE.equals(device.getString("id")), "GET device answered " + device);
  }

  private static void command(GatewayClient client, String token, int i) {
    GatewayClient.Resp r = Bench.join(client.command(token, DEVICE, new JsonObject(RoundTripScenario.props(i))),
        CALL);
    RoundTripScenario.check(r.status() == 200 && "succeeded".equals(new JsonObject(r.body()).getString("status")),
        "command: " + r.status() + " " + r.body());
  }

  private static JsonObject ok(GatewayClient.Resp r, String what) {
    RoundTripScenario.check(r.status() == 200, what + ": " + r.status() + " " + r.body());
    return new JsonObject(r.body());
  }

  /**
   * The relay's keys for the bench: loopback, TLS with the dev certificate, its store in the bench's
   * temp folder, WeChat at the local stand-in, and the per-user and per-hub rate limits raised far
   * above what one back-to-back client sends (defaults: 20 and 100 a second).
   */
  private Map<String, String> relayEnv(int wechatPort) {
    return Map.ofEntries(Map.entry("HEARTH_RELAY_HTTP_HOST", "127.0.0.1"), Map.entry("HEARTH_RELAY_HTTP_PORT", "0"),
        Map.entry("HEARTH_RELAY_TLS_DEV_SELF_SIGNED", "true"),
        Map.entry("HEARTH_RELAY_DATA_DIR", dir.resolve("relay").toString()),
        Map.entry("HEARTH_RELAY_WECHAT_APP_ID", APP_ID), Map.entry("HEARTH_RELAY_WECHAT_SECRET", SECRET),
        Map.entry("HEARTH_RELAY_WECHAT_API_BASE", "http://127.0.0.1:" + wechatPort),
        Map.entry("HEARTH_RELAY_RATE_LIMITS_USER_PER_SECOND", "1000000"),
        Map.entry("HEARTH_RELAY_RATE_LIMITS_USER_BURST", "1000000"),
        Map.entry("HEARTH_RELAY_RATE_LIMITS_HUB_PER_SECOND", "1000000"),
        Map.entry("HEARTH_RELAY_RATE_LIMITS_HUB_BURST", "1000000"));
  }

  /**
   * A local stand-in for WeChat's {@code GET /sns/jscode2session} (login only; the bench sends no
   * alerts): WeChat's answer shape, {@code text/plain} JSON with {@code openid} and
   * {@code session_key}, or {@code errcode} 40013 for a wrong app id or secret.
   */
  private static HttpServer fakeJsCode2Session(Vertx vertx) {
    return Bench.join(vertx.createHttpServer().requestHandler(req -> {
      JsonObject answer = req.path().equals("/sns/jscode2session") && APP_ID.equals(req.getParam("appid"))
          && SECRET.equals(req.getParam("secret")) && req.getParam("js_code") != null
          ? new JsonObject().put("openid", "o-bench-" + req.getParam("js_code")).put("session_key", "bench-session-key")
          : new JsonObject().put("errcode", 40013).put("errmsg", "invalid appid");
      req.response().putHeader("Content-Type", "text/plain").end(answer.encode());
    }).listen(0, "127.0.0.1"), CALL);
  }
}
