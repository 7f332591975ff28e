package io.hearth.gateway.command;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.StateReport;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.GatewayTransports;
import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.state.DeviceView;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.testing.MovingClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The gateway core as the command service sees it, on a real Vert.x: one context, an in-memory
 * store behind {@link AsyncStore}, the shipped profiles, a real registry, state tracker and event
 * hub, and fake adapters. Every call into the core goes through {@link #async}/{@link #on} so it
 * runs on that one context; the test thread only waits, with deadlines.
 */
final class CoreHarness {
  static final GatewayConfig.Commands CONFIG = new GatewayConfig.Commands(5000, 60000, 10000);
  static final Map<String, Profile> PROFILES = ProfileLoader.loadFolder(Path.of("../config/profiles"));
  static final long WAIT_SECONDS = 5;

  /** lamp: reply-confirmed; hall: state-confirmed (zigbee2mqtt); curtain: actions; thermo: CoAP. */
  static final List<DeviceDefinition> DEVICES = List.of(
      new DeviceDefinition("lamp", "Lamp", "living", "light.dimmable",
          new MqttBinding("hearth", null, null)),
      new DeviceDefinition("hall", null, null, "light.dimmable",
          new MqttBinding("zigbee2mqtt", "hall", null)),
      new DeviceDefinition("curtain", null, null, "curtain",
          new MqttBinding("hearth", null, null)),
      new DeviceDefinition("thermo", null, null, "thermostat",
          CoapBinding.hearth("coap://127.0.0.1:5701")));

  final Vertx vertx;
  final Context ctx;
  final MovingClock clock = new MovingClock(Instant.now());
  final MemoryStore memory = new MemoryStore();
  final AsyncStore store;
  final EventHub hub = new EventHub(clock, 0);
  final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
  final DeviceStates states;
  final DeviceRegistry registry;
  final FakeAdapter mqtt = new FakeAdapter("mqtt");
  final FakeAdapter coap = new FakeAdapter("coap");
  final GatewayConfig.Commands config;
  final int maxInFlightPerDevice;
  CommandService service;

  CoreHarness(Vertx vertx) {
    this(vertx, CONFIG);
  }

  CoreHarness(Vertx vertx, GatewayConfig.Commands config) {
    this(vertx, config, GatewayConfig.CommandFlow.DEFAULTS.maxInFlightPerDevice());
  }

  /** With {@code commands.maxInFlightPerDevice} = {@code maxInFlightPerDevice}. */
  CoreHarness(Vertx vertx, GatewayConfig.Commands config, int maxInFlightPerDevice) {
    this.vertx = vertx;
    this.config = config;
    this.maxInFlightPerDevice = maxInFlightPerDevice;
    this.ctx = vertx.getOrCreateContext();
    this.store = new AsyncStore(vertx, memory);
    hub.addListener(events::add);
    states = new DeviceStates(clock, hub, s -> { }, p -> { });
    // what each binding carries comes from the real transports (a zigbee2mqtt light has no blink)
    registry = new DeviceRegistry(PROFILES, store, GatewayTransports.forReading()::supports);
    on(() -> registry.load(DEVICES));
    run(() -> registry.all().forEach(d -> states.track(d.id(), null)));
    service = newService(mqtt, coap);
  }

  /** A new command service on the same store, registry and states: what a restart builds. */
  CommandService newService(FakeAdapter mqttAdapter, FakeAdapter coapAdapter) {
    Map<String, FakeAdapter> adapters = Map.of("mqtt", mqttAdapter, "coap", coapAdapter);
    return new CommandService(vertx, clock, registry, states, adapters::get, store, hub, config,
        GatewayConfig.Recovery.DEFAULTS, maxInFlightPerDevice);
  }

  // ---- running on the core context

  /** Starts {@code op} on the core context; the result completes when its future does. */
  <T> CompletableFuture<T> async(Supplier<Future<T>> op) {
    CompletableFuture<T> cf = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      try {
        op.get().onComplete(ar -> {
          if (ar.succeeded()) {
            cf.complete(ar.result());
          } else {
            cf.completeExceptionally(ar.cause());
          }
        });
      } catch (Throwable t) {
        cf.completeExceptionally(t);
      }
    });
    return cf;
  }

  /** Runs {@code op} on the core context and waits for its future. */
  <T> T on(Supplier<Future<T>> op) {
    return await(async(op));
  }

  /** Reads something on the core context. */
  <T> T get(Supplier<T> read) {
    return on(() -> Future.succeededFuture(read.get()));
  }

  void run(Runnable r) {
    on(() -> {
      r.run();
      return Future.succeededFuture();
    });
  }

  static <T> T await(CompletableFuture<T> cf) {
    try {
      return cf.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      return fail("no answer within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The domain exception a future failed with, as the REST edge converts it ({@link Problems}): the
   * tests check the code and field errors a client sees.
   */
  static ApiException failure(CompletableFuture<?> cf) {
    try {
      Object r = cf.get(WAIT_SECONDS, TimeUnit.SECONDS);
      return fail("expected a failure, got " + r);
    } catch (ExecutionException e) {
      return Problems.toApiException(assertInstanceOf(DomainException.class, e.getCause()));
    } catch (TimeoutException e) {
      return fail("no answer within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- the core's inputs

  /** Submits a command; its result as the REST edge answers it ({@link CommandAnswer}). */
  CompletableFuture<CommandAnswer> submit(String device, CommandRequest request) {
    return submit(device, request, null);
  }

  CompletableFuture<CommandAnswer> submit(String device, CommandRequest request, String key) {
    CommandService s = service;
    return async(() -> s.submit(device, request, key).map(CommandAnswer::of));
  }

  CommandRecord find(String device, String commandId) {
    CommandService s = service;
    return on(() -> s.find(device, commandId));
  }

  void reply(String device, String commandId, boolean ok, String error) {
    CommandService s = service;
    run(() -> s.replied(new CommandReply(device, commandId, ok, error, Map.of())));
  }

  /**
   * A device's state report, as GatewayCore hands it on: state first, then the command service
   * (confirmations, then the device counts as heard from).
   */
  void report(String device, Map<String, Object> props) {
    report(device, props, false);
  }

  /** A report, fresh or retained (a retained one does not count as the device heard from). */
  void report(String device, Map<String, Object> props, boolean retained) {
    CommandService s = service;
    run(() -> {
      StateReport report = new StateReport(device, props, clock.instant(), retained);
      states.applyReport(report, registry.require(device).profile());
      s.stateReported(device);
      s.unknownReported(report);
      if (!retained) {
        s.deviceHeard(device);
      }
    });
  }

  /** Any other message from the device (an event, a reply, availability online), as GatewayCore hands it on. */
  void heard(String device) {
    CommandService s = service;
    run(() -> s.deviceHeard(device));
  }

  void offline(String device, String reason) {
    run(() -> states.availabilityChanged(device, false, reason));
  }

  DeviceView view(String device) {
    return get(() -> states.view(device).orElseThrow());
  }

  /** Statuses of the {@code command} events published for one command, in order. */
  List<String> commandEvents(String commandId) {
    return events.stream()
        .filter(e -> e.kind().equals(GatewayEvent.COMMAND) && commandId.equals(e.data().get("commandId")))
        .map(e -> (String) e.data().get("status")).toList();
  }

  // ---- requests

  static CommandRequest set(Map<String, Object> set) {
    return new CommandRequest(set, null, null, null, true);
  }

  static CommandRequest set(Map<String, Object> set, Integer timeoutMs, boolean wait) {
    return new CommandRequest(set, null, null, timeoutMs, wait);
  }

  static CommandRequest action(String name, Map<String, Object> input, Integer timeoutMs, boolean wait) {
    return new CommandRequest(null, name, input, timeoutMs, wait);
  }

}
