package io.hearth.gateway.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker inside the gateway: HiveMQ Community Edition embedded, with file persistence
 * under {@code <data.dir>/broker}, every client checked by a {@link BrokerAuthorizer} and confined
 * to its own topics, and the limits of {@link BrokerOptions} always on.
 *
 * <p>Start and stop run on a Vert.x worker (HiveMQ's take seconds); never on an event loop. Each
 * start builds a fresh HiveMQ instance and each stop closes it, so start-stop-start on the same
 * data directory works and a failed start leaves no HiveMQ thread behind.
 *
 * <p>Logging: HiveMQ is built {@code withoutLoggingBootstrap()}, so it never resets or
 * reconfigures the JVM's Logback; it logs through SLF4J into the gateway's configuration (include
 * {@code hearth-broker-logback.xml} there to quiet its chattier loggers). HiveMQ also replaces the
 * JVM's default uncaught-exception handler on start (its handler may call {@code System.exit});
 * this class puts the previous one back.
 */
public final class EmbeddedBroker {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final long START_TIMEOUT_SECONDS = 60;
  /** Client and topic pairs remembered so a dropped publish or refused filter is logged at WARN once. */
  static final int WARN_ONCE_CAPACITY = 4096;

  private final BrokerOptions options;
  private final BrokerAuthorizer authorizer;
  private final boolean probePort;
  private final BrokerStats stats = new BrokerStats();
  private final FirstSeen warned = new FirstSeen(WARN_ONCE_CAPACITY);
  private final Object lock = new Object();
  private EmbeddedHiveMQ hivemq; // guarded by lock
  private volatile boolean running;

  public EmbeddedBroker(BrokerOptions options, BrokerAuthorizer authorizer) {
    this(options, authorizer, true);
  }

  /** With {@code probePort} false HiveMQ meets a taken port itself (tests of that path). */
  EmbeddedBroker(BrokerOptions options, BrokerAuthorizer authorizer, boolean probePort) {
    this.options = Objects.requireNonNull(options, "options");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.probePort = probePort;
  }

  /**
   * Starts the broker; completes once its listener accepts connections. Fails with a {@link
   * BrokerStartException} carrying a one-line reason (e.g. the port is in use). Starting a running
   * broker succeeds at once.
   */
  public Future<Void> start(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    return vertx.executeBlocking(
        () -> {
          startBlocking();
          return null;
        });
  }

  /** Stops the broker, closing every connection and flushing its store. Stopping twice is fine. */
  public Future<Void> stop(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    return vertx.executeBlocking(
        () -> {
          stopBlocking();
          return null;
        });
  }

  /** What the broker refused since this object was made (across restarts); see {@link BrokerMeters}. */
  public BrokerStats stats() {
    return stats;
  }

  public boolean isRunning() {
    return running;
  }

  public int port() {
    return options.port();
  }

  /** The URL clients use, e.g. {@code tcp://127.0.0.1:1883}. */
  public String url() {
    String host = options.host();
    return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + options.port();
  }

  private void startBlocking() throws IOException, InterruptedException {
    synchronized (lock) {
      if (hivemq != null) {
        return;
      }
      long began = System.nanoTime();
      if (probePort) {
        checkPortFree();
      }
      HiveMqConfig.Folders folders = HiveMqConfig.prepare(options);
      BrokerSecurityExtension security = new BrokerSecurityExtension(authorizer, options, stats, warned);
      EmbeddedHiveMQ instance =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(folders.conf())
              .withDataFolder(folders.data())
              .withExtensionsFolder(folders.extensions())
              .withEmbeddedExtension(
                  EmbeddedExtension.builder()
                      .withId("hearth-broker-security")
                      .withName("Hearth broker security")
                      .withVersion("1")
                      .withAuthor("Hearth")
                      .withPriority(1000)
                      .withStartPriority(1000)
                      .withExtensionMain(security)
                      .build())
              .withoutLoggingBootstrap()
              .build();
      Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
      try {
        instance.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!security.isStarted()) {
          throw new BrokerStartException(
              "embedded MQTT broker: security extension did not start, refusing to run unprotected");
        }
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        closeQuietly(instance);
        throw translate(e);
      } catch (InterruptedException e) {
        closeQuietly(instance);
        throw e;
      } finally {
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
      }
      hivemq = instance;
      running = true;
      log.info(
          "embedded MQTT broker started [url: {}, dir: {}, allowAnonymous: {}, ms: {}]",
          url(),
          options.brokerDir(),
          options.allowAnonymous(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
      if (options.allowAnonymous()) {
        log.warn("embedded MQTT broker admits anonymous clients with full access (development only)");
      }
    }
  }

  private void stopBlocking() throws Exception {
    synchronized (lock) {
      EmbeddedHiveMQ instance = hivemq;
      if (instance == null) {
        return;
      }
      hivemq = null;
      running = false;
      long began = System.nanoTime();
      instance.close();
      log.info(
          "embedded MQTT broker stopped [url: {}, ms: {}]",
          url(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }
  }

  /** Fails fast, before HiveMQ spins up its threads, when the listener's address is taken. */
  private void checkPortFree() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(options.host(), options.port()));
    } catch (IOException e) {
      throw bindFailure(e);
    }
  }

  private BrokerStartException bindFailure(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof BindException && message.toLowerCase().contains("in use")) {
      return new BrokerStartException(portInUse(), e);
    }
    return new BrokerStartException(
        "mqtt.embedded.host " + options.host() + " port " + options.port() + " cannot be bound: "
            + message,
        e);
  }

  private String portInUse() {
    return "mqtt.embedded.port " + options.port() + " is already in use (stop what holds it, or set"
        + " mqtt.embedded.port to another port)";
  }

  private BrokerStartException translate(Exception failure) {
    Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
    if (cause instanceof BrokerStartException bse) {
      return bse;
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new BrokerStartException(portInUse(), failure);
      }
    }
    if (failure instanceof TimeoutException) {
      return new BrokerStartException(
          "embedded MQTT broker did not start within " + START_TIMEOUT_SECONDS + " s", failure);
    }
    // HiveMQ reports a listener that failed to bind only as "no listener started"
    try {
      checkPortFree();
    } catch (BrokerStartException bind) {
      return bind;
    }
    return new BrokerStartException(
        "embedded MQTT broker failed to start: " + rootMessage(cause), failure);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static void closeQuietly(EmbeddedHiveMQ instance) {
    try {
      instance.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("embedded MQTT broker did not close cleanly after a failed start", e);
    }
  }
}
