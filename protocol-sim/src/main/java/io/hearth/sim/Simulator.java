package io.hearth.sim;

import io.hearth.sim.mqtt.MqttSimDevice;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of running simulated devices. All devices share one small Vert.x instance: a few
 * event-loop threads ({@link SimOptions#threads()}) carry every device's connection, timers and
 * logic, so thousands of devices fit in one JVM.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimOptions.defaults("tcp://127.0.0.1:1883"), SimDevices.load(file))) {
 *   sim.device("living-lamp").setFaults(SimFaults.NONE.withReplyDelayMs(2000));
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  private final Vertx vertx;
  private final Map<String, ManagedSimDevice> devices;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private Simulator(Vertx vertx, Map<String, ManagedSimDevice> devices) {
    this.vertx = vertx;
    this.devices = devices;
  }

  /**
   * Starts every device and returns once each one is connected and has published its state and
   * availability (acknowledged by the broker).
   *
   * @throws IllegalArgumentException for a bad spec (unknown profile or convention, duplicate id)
   * @throws IllegalStateException    when devices are not up within {@link SimOptions#startTimeout()}
   */
  public static Simulator start(SimOptions options, List<SimDeviceSpec> devices) {
    return builder(options).devices(devices).start();
  }

  public static Builder builder(SimOptions options) {
    return new Builder(options);
  }

  /** The device with this id, or null. */
  public SimDevice device(String id) {
    return devices.get(id);
  }

  public Collection<SimDevice> devices() {
    return Collections.unmodifiableCollection(devices.values());
  }

  /** Ends every device's connection (the broker publishes their wills) and stops all threads; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("simulator stopping [devices: {}]", devices.size());
    List<Future<Void>> closing = new ArrayList<>();
    for (ManagedSimDevice d : devices.values()) {
      closing.add(d.close());
    }
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("some devices did not close cleanly: {}", e.toString());
    } finally {
      closeVertx(vertx);
    }
    LOG.info("simulator stopped");
  }

  private static void closeVertx(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("vert.x did not close cleanly: {}", e.toString());
    }
  }

  /** Options for {@link Simulator#start}. */
  public static final class Builder {
    private final SimOptions options;
    private final List<SimDeviceSpec> specs = new ArrayList<>();
    private BiConsumer<Integer, Integer> progress = (up, total) -> { };

    private Builder(SimOptions options) {
      this.options = Objects.requireNonNull(options, "options");
    }

    public Builder devices(List<SimDeviceSpec> devices) {
      specs.addAll(Objects.requireNonNull(devices, "devices"));
      return this;
    }

    /** Called about every second while starting, with (devices up, devices to start). */
    public Builder onProgress(BiConsumer<Integer, Integer> listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Simulator start() {
      Vertx vertx = Vertx.vertx(new VertxOptions()
          .setEventLoopPoolSize(options.threads())
          .setWorkerPoolSize(1)
          .setInternalBlockingPoolSize(1));
      try {
        Map<String, ManagedSimDevice> devices = create(vertx, contexts(vertx));
        connectAll(devices);
        LOG.info("simulator started [devices: {}, broker: {}, threads: {}]", devices.size(), options.mqttUrl(),
            options.threads());
        return new Simulator(vertx, devices);
      } catch (RuntimeException e) {
        closeVertx(vertx);
        throw e;
      }
    }

    /** One event-loop context per thread; devices are spread over them. */
    private List<Context> contexts(Vertx vertx) {
      List<Context> contexts = new CopyOnWriteArrayList<>();
      Future<String> deployed = vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
        @Override
        public Future<?> start() {
          contexts.add(context);
          return Future.succeededFuture();
        }
      }, new DeploymentOptions().setInstances(options.threads()));
      try {
        deployed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("cannot start simulator threads: " + e, e);
      }
      return contexts;
    }

    private Map<String, ManagedSimDevice> create(Vertx vertx, List<Context> contexts) {
      Map<String, ManagedSimDevice> devices = new LinkedHashMap<>();
      int i = 0;
      for (SimDeviceSpec spec : specs) {
        if (devices.containsKey(spec.id())) {
          throw new IllegalArgumentException("duplicate device id " + spec.id());
        }
        Context context = contexts.get(i % contexts.size());
        switch (spec.protocol()) {
          case "mqtt":
            devices.put(spec.id(), new MqttSimDevice(vertx, context, options, spec));
            i++;
            break;
          case "coap":
            // a CoAP transport (sharing one Californium endpoint executor) plugs in here
            LOG.info("device skipped: CoAP is not simulated yet [device: {}]", spec.id());
            break;
          default:
            throw new IllegalArgumentException("unknown protocol " + spec.protocol() + " of device " + spec.id());
        }
      }
      return devices;
    }

    private void connectAll(Map<String, ManagedSimDevice> devices) {
      long deadline = System.nanoTime() + options.startTimeout().toNanos();
      int total = devices.size();
      Semaphore inFlight = new Semaphore(options.connectConcurrency());
      CountDownLatch done = new CountDownLatch(total);
      AtomicInteger up = new AtomicInteger();
      long nextReport = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      try {
        for (ManagedSimDevice d : devices.values()) {
          while (!inFlight.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
              throw notUp(devices, up.get());
            }
            if (System.nanoTime() > nextReport) {
              progress.accept(up.get(), total);
              nextReport = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
          }
          d.start().onComplete(ar -> {
            inFlight.release();
            if (ar.succeeded()) {
              up.incrementAndGet();
            }
            done.countDown();
          });
        }
        while (!done.await(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
            TimeUnit.MILLISECONDS)) {
          progress.accept(up.get(), total);
          if (System.nanoTime() > deadline) {
            throw notUp(devices, up.get());
          }
        }
        progress.accept(up.get(), total);
        if (up.get() < total) {
          throw notUp(devices, up.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting devices", e);
      }
    }

    private IllegalStateException notUp(Map<String, ManagedSimDevice> devices, int up) {
      String example = "";
      for (ManagedSimDevice d : devices.values()) {
        if (example.isEmpty() && d.lastError() != null && !d.online()) {
          example = " (e.g. " + d.id() + ": " + d.lastError() + ")";
        }
        d.close();
      }
      return new IllegalStateException((devices.size() - up) + " of " + devices.size()
          + " simulated devices not connected to " + options.mqttUrl() + " within " + options.startTimeout()
          + example);
    }
  }
}
