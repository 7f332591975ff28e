package io.hearth.sim;

import io.hearth.sim.coap.CoapRuntime;
import io.hearth.sim.coap.CoapSimDevice;
import io.hearth.sim.mqtt.MqttSimDevice;
import io.hearth.sim.tasmota.TasmotaSimDevice;
import io.hearth.sim.z2m.Z2mChildDevice;
import io.hearth.sim.z2m.Zigbee2MqttBridge;
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
  private final Units units;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private Simulator(Vertx vertx, CoapRuntime coap, Units units) {
    this.vertx = vertx;
    this.coap = coap;
    this.units = units;
  }

  /** What was made from the specs: every device by id, and what is started (devices and bridges). */
  private record Units(Map<String, ManagedSimDevice> devices, List<ManagedUnit> started,
      Map<String, Zigbee2MqttBridge> bridges) { }

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
    return units.devices().get(id);
  }

  /** Every device, those behind bridges included. */
  public Collection<SimDevice> devices() {
    return Collections.unmodifiableCollection(units.devices().values());
  }

  /** The Zigbee2MQTT bridges. */
  public Collection<SimBridge> bridges() {
    return Collections.unmodifiableCollection(units.bridges().values());
  }

  /** The Zigbee2MQTT bridge with this id, or null. */
  public SimBridge bridge(String id) {
    return units.bridges().get(id);
  }

  /**
   * The CoAP device with this id, or null (e.g. to read its {@link CoapSimDevice#uri()} when its port
   * was chosen by the OS).
   */
  public CoapSimDevice coapDevice(String id) {
    return units.devices().get(id) instanceof CoapSimDevice c ? c : null;
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
    LOG.info("simulator stopping [devices: {}]", units.devices().size());
    List<Future<Void>> closing = new ArrayList<>();
    for (ManagedUnit u : units.started()) {
      closing.add(u.close());
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
        Units units = create(vertx, contexts(vertx), coap);
        connectAll(units.started());
        LOG.info("simulator started [devices: {}, bridges: {}, broker: {}, threads: {}, coap threads: {}]",
            units.devices().size(), units.bridges().size(), options.mqttUrl(), options.threads(),
            coap == null ? 0 : options.coapThreads());
        return new Simulator(vertx, coap, units);
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

    private Units create(Vertx vertx, List<Context> contexts, CoapRuntime coap) {
      Map<String, ManagedSimDevice> devices = new LinkedHashMap<>();
      List<ManagedUnit> started = new ArrayList<>();
      Map<String, Zigbee2MqttBridge> bridges = new LinkedHashMap<>();
      CoapPorts ports = new CoapPorts(options.coapBasePort(), specs);
      int i = 0;
      for (SimDeviceSpec spec : specs) {
        if (devices.containsKey(spec.id()) || bridges.containsKey(spec.id())) {
          throw new IllegalArgumentException("duplicate device id " + spec.id());
        }
        Context context = contexts.get(i % contexts.size());
        ManagedSimDevice device;
        switch (spec.protocol()) {
          case "mqtt":
            if (spec.isBridge()) {
              Zigbee2MqttBridge bridge = new Zigbee2MqttBridge(vertx, context, options, spec);
              for (Z2mChildDevice child : bridge.children()) {
                if (devices.put(child.id(), child) != null || bridges.containsKey(child.id())) {
                  throw new IllegalArgumentException("duplicate device id " + child.id());
                }
              }
              bridges.put(spec.id(), bridge);
              started.add(bridge);
              i++;
              continue;
            }
            device = "tasmota".equals(spec.convention()) ? new TasmotaSimDevice(vertx, context, options, spec)
                : new MqttSimDevice(vertx, context, options, spec);
            break;
          case "coap":
            if ("generic".equals(spec.convention())) {
              LOG.info("device skipped: the generic CoAP convention is not simulated [device: {}]", spec.id());
              continue;
            }
            device = new CoapSimDevice(vertx, context, coap, options, spec, ports.next(spec));
            break;
          default:
            throw new IllegalArgumentException("unknown protocol " + spec.protocol() + " of device " + spec.id());
        }
        if (devices.put(spec.id(), device) != null) {
          throw new IllegalArgumentException("duplicate device id " + spec.id());
        }
        started.add(device);
        i++;
      }
      return new Units(devices, started, bridges);
    }

    private void connectAll(List<ManagedUnit> devices) {
      long deadline = System.nanoTime() + options.startTimeout().toNanos();
      int total = devices.size();
      Semaphore inFlight = new Semaphore(options.connectConcurrency());
      CountDownLatch done = new CountDownLatch(total);
      AtomicInteger up = new AtomicInteger();
      long nextReport = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      try {
        for (ManagedUnit d : devices) {
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

    private IllegalStateException notUp(List<ManagedUnit> devices, int up) {
      String example = "";
      for (ManagedUnit d : devices) {
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
