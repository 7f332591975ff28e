package io.hearth.relay;

import io.hearth.relay.config.RelayConfig;
import io.hearth.relay.http.AccountRoutes;
import io.hearth.relay.http.HomeProxy;
import io.hearth.relay.http.Problems;
import io.hearth.relay.http.RateLimiter;
import io.hearth.relay.http.RelayError;
import io.hearth.relay.http.Sessions;
import io.hearth.relay.store.RelayStore;
import io.hearth.relay.store.StoreExecutor;
import io.hearth.relay.tunnel.HubRegistry;
import io.hearth.relay.tunnel.TunnelEndpoint;
import io.hearth.relay.wechat.AlertSender;
import io.hearth.relay.wechat.WeChatClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.vertx.ext.web.Router;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay on one HTTP(S) server (docs/relay.md): hub tunnels, the WeChat login and homes API,
 * and the hubs' app API under {@code /homes/{hubId}}. One verticle, so every tunnel, stream and
 * limiter lives on one event loop; the store on its own worker thread.
 */
public final class RelayServer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

  private final RelayConfig config;
  private final HubRegistry hubs = new HubRegistry();
  private StoreExecutor store;
  private WeChatClient wechat;
  private HttpServer server;
  private long pruneTimer;

  public RelayServer(RelayConfig config) {
    this.config = Objects.requireNonNull(config);
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> new RelayStore(config.dataDir())).compose(s -> {
      store = new StoreExecutor(vertx, s);
      wechat = new WeChatClient(vertx, config.wechat());
      RelayConfig.RateLimits rl = config.rateLimits();
      RateLimiter perUser = new RateLimiter(rl.userPerSecond(), rl.userBurst());
      RateLimiter perHub = new RateLimiter(rl.hubPerSecond(), rl.hubBurst());
      RateLimiter logins = new RateLimiter(rl.loginPerMinutePerAddress() / 60.0, rl.loginBurstPerAddress());
      pruneTimer = vertx.setPeriodic(60_000, t -> {
        perUser.prune();
        perHub.prune();
        logins.prune();
        store.call(st -> st.purgeSessions(System.currentTimeMillis()));
      });
      Sessions sessions = new Sessions(store, config.sessionTtlSeconds());
      AlertSender alerts = new AlertSender(store, wechat, config.wechat(), perHub);
      TunnelEndpoint tunnels = new TunnelEndpoint(vertx, store, hubs, config.tunnel(),
          frame -> alerts.onAlert(frame.getString("hubId"), frame));
      Router router = Router.router(vertx);
      router.get(TunnelEndpoint.PATH).handler(ctx -> tunnels.handle(ctx.request()));
      router.get("/relay/v1/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
          .end("{\"status\":\"up\"}"));
      router.route("/relay/v1/*").handler(io.vertx.ext.web.handler.BodyHandler.create(false)
          .setBodyLimit(config.http().maxBodyBytes()));
      new AccountRoutes(store, sessions, wechat, hubs, logins).mount(router);
      new HomeProxy(store, sessions, hubs, perUser, perHub, config.http().maxBodyBytes()).mount(router);
      router.errorHandler(413, ctx -> Problems.send(ctx.response(), RelayError.PAYLOAD_TOO_LARGE,
          "the body is over " + config.http().maxBodyBytes() + " bytes (http.maxBodyBytes)"));
      router.errorHandler(404, ctx -> Problems.send(ctx.response(), RelayError.NOT_FOUND, "no such route"));
      router.errorHandler(405, ctx -> Problems.send(ctx.response(), RelayError.NOT_FOUND, "no such route"));
      router.errorHandler(500, ctx -> Problems.send(ctx.response(), ctx.failure()));
      // key stores and the dev certificate are read or made off the event loop
      return vertx.executeBlocking(this::serverOptions)
          .compose(options -> vertx.createHttpServer(options).requestHandler(router).listen());
    }).onSuccess(s -> {
      server = s;
      LOG.info("relay listening [url: {}://{}:{}]", config.tls().enabled() ? "https" : "http", config.http().host(),
          s.actualPort());
    });
  }

  private HttpServerOptions serverOptions() {
    RelayConfig.Tunnel t = config.tunnel();
    HttpServerOptions o = new HttpServerOptions().setHost(config.http().host()).setPort(config.http().port())
        .setIdleTimeout(120).setMaxWebSocketFrameSize(Math.max(65536, t.maxFrameBytes()))
        .setMaxWebSocketMessageSize(t.maxFrameBytes());
    RelayConfig.Tls tls = config.tls();
    if (!tls.enabled()) {
      return o;
    }
    o.setSsl(true);
    if (tls.keyStore() != null) {
      o.setKeyCertOptions(tls.keyStore().endsWith(".jks")
          ? new JksOptions().setPath(tls.keyStore()).setPassword(tls.password())
          : new PfxOptions().setPath(tls.keyStore()).setPassword(tls.password()));
    } else {
      // development only (tls.devSelfSigned): apps in WeChat refuse it; hubs must trust it explicitly.
      // Made once and kept in the data folder, so a hub that trusts it still does after a restart.
      Path dev = config.dataDir().resolve("dev-tls");
      Path certFile = dev.resolve("cert.pem");
      Path keyFile = dev.resolve("key.pem");
      try {
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
          SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
          Files.createDirectories(dev);
          Files.copy(Path.of(cert.privateKeyPath()), keyFile, StandardCopyOption.REPLACE_EXISTING);
          try {
            Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system
          }
          Files.copy(Path.of(cert.certificatePath()), certFile, StandardCopyOption.REPLACE_EXISTING);
          cert.delete();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot keep the development certificate in " + dev, e);
      }
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
      devCertificatePath = certFile.toString();
      LOG.warn("TLS with a self-signed development certificate [file: {}] (tls.devSelfSigned)", devCertificatePath);
    }
    return o;
  }

  private String devCertificatePath;

  /** The dev-mode certificate's PEM file (for a hub's {@code relay.trustCertificate}), or null. */
  public String devCertificatePath() {
    return devCertificatePath;
  }

  /** The bound port, or -1 before the start. */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  public HubRegistry hubs() {
    return hubs;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pruneTimer);
    hubs.closeAll();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> wechat == null ? Future.succeededFuture() : wechat.close())
        .eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }
}
