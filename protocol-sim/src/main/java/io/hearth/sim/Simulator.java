package io.hearth.sim;

import io.hearth.sim.coap.CoapRuntime;
import io.hearth.sim.coap.CoapSimDevice;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * A set of running simulated devices, MQTT and CoAP. All devices share one small Vert.x instance: a
 * few event-loop threads ({@link SimOptions#threads()}) carry every device's connection or datagram
 * socket, timers and logic; CoAP devices also share one small Californium executor
 * ({@link SimOptions#coapThreads()} plus a timer thread), so thousands of devices fit in one JVM.
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
  private final CoapRuntime coap;
  private final Map<String, ManagedSimDevice> devices;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private Simulator(Vertx vertx, CoapRuntime coap, Map<String, ManagedSimDevice> devices) {
    this.vertx = vertx;
    this.coap = coap;
    this.devices = devices;
  }

  /**
   * Starts every device and returns once each one is up: MQTT devices connected, their state and
   * availability acknowledged by the broker; CoAP devices listening on their port. CoAP entries of
   * the {@code generic} convention are skipped (logged).
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

  /**
   * The CoAP device with this id, or null (e.g. to read its {@link CoapSimDevice#uri()} when its port
   * was chosen by the OS).
   */
  public CoapSimDevice coapDevice(String id) {
    return devices.get(id) instanceof CoapSimDevice c ? c : null;
  }

  /**
   * Ends every device's connection (the broker publishes their wills), stops every CoAP endpoint and
   * all threads; idempotent.
   */
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
      if (coap != null) {
        coap.close();
      }
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
      CoapRuntime coap = specs.stream().anyMatch(s -> "coap".equals(s.protocol()))
          ? CoapRuntime.start(options.coapThreads()) : null;
      try {
        Map<String, ManagedSimDevice> devices = create(vertx, contexts(vertx), coap);
        connectAll(devices);
        LOG.info("simulator started [devices: {}, broker: {}, threads: {}, coap threads: {}]", devices.size(),
            options.mqttUrl(), options.threads(), coap == null ? 0 : options.coapThreads());
        return new Simulator(vertx, coap, devices);
      } catch (RuntimeException e) {
        if (coap != null) {
          coap.close();
        }
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

    private Map<String, ManagedSimDevice> create(Vertx vertx, List<Context> contexts, CoapRuntime coap) {
      Map<String, ManagedSimDevice> devices = new LinkedHashMap<>();
      CoapPorts ports = new CoapPorts(options.coapBasePort(), specs);
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
            if ("generic".equals(spec.convention())) {
              LOG.info("device skipped: the generic CoAP convention is not simulated [device: {}]", spec.id());
              break;
            }
            devices.put(spec.id(), new CoapSimDevice(vertx, context, coap, options, spec, ports.next(spec)));
            i++;
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
          + " simulated devices not up (MQTT broker " + options.mqttUrl() + ", CoAP ports from "
          + options.coapBasePort() + ") within " + options.startTimeout() + example);
    }
  }

  /**
   * Ports of CoAP devices: the port of {@code binding.uri} when given, otherwise the next port from
   * the base that no uri claims; base 0 lets the OS pick each one.
   */
  private static final class CoapPorts {
    private final int base;
    private final Set<Integer> claimed = new HashSet<>();
    private int next;

    CoapPorts(int base, List<SimDeviceSpec> specs) {
      this.base = base;
      this.next = base;
      for (SimDeviceSpec s : specs) {
        if ("coap".equals(s.protocol()) && !"generic".equals(s.convention()) && s.uri() != null) {
          int p = java.net.URI.create(s.uri()).getPort();
          if (!claimed.add(p < 0 ? 5683 : p)) {
            throw new IllegalArgumentException("two CoAP devices on port " + p + " (device " + s.id() + ")");
          }
        }
      }
    }

    int next(SimDeviceSpec spec) {
      if (spec.uri() != null || base == 0) {
        return 0; // the device takes its uri's port, or the OS picks one
      }
      while (claimed.contains(next)) {
        next++;
      }
      if (next > 65535) {
        throw new IllegalArgumentException("no CoAP port left for device " + spec.id() + " from base " + base);
      }
      return next++;
    }
  }
}
