package io.hearth.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.command.MemoryStore;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.StoredDevice;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tier 2: {@link DeviceRegistry} on a real Vert.x with an in-memory store — config merge, add, remove. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeviceRegistryTest {
  private static final Map<String, Profile> PROFILES = ProfileLoader.loadFolder(Path.of("../config/profiles"));
  private static final Binding MQTT = new MqttBinding("hearth", null, null);

  private Context ctx;
  private AsyncStore store;
  private final MemoryStore memory = new MemoryStore();

  @BeforeEach
  void setUp(Vertx vertx) {
    ctx = vertx.getOrCreateContext();
    store = new AsyncStore(vertx, memory);
  }

  private static DeviceDefinition device(String id, String profile) {
    return new DeviceDefinition(id, null, null, profile, MQTT);
  }

  private <T> CompletableFuture<T> async(Supplier<Future<T>> op) {
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

  private <T> T on(Supplier<Future<T>> op) {
    try {
      return async(op).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      return fail(e);
    }
  }

  private Throwable failure(Supplier<Future<?>> op) {
    try {
      Object r = async(op::get).get(5, TimeUnit.SECONDS);
      return fail("expected a failure, got " + r);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return fail(e);
    }
  }

  private java.util.Optional<StoredDevice> stored(String id) {
    return memory.devices().load().stream().filter(d -> d.definition().id().equals(id)).findFirst();
  }

  private DeviceRegistry loaded(List<DeviceDefinition> fromConfig) {
    DeviceRegistry r = new DeviceRegistry(PROFILES, store);
    on(() -> r.load(fromConfig));
    return r;
  }

  private List<String> ids(DeviceRegistry r) {
    return on(() -> Future.succeededFuture(r.all().stream().map(DeviceRegistry.RegisteredDevice::id).sorted().toList()));
  }

  @Test
  void configDevicesAndStoredApiDevicesAreMerged() {
    memory.devices().upsert(new StoredDevice(device("api-plug", "plug"), false));
    DeviceRegistry r = loaded(List.of(device("lamp", "light.dimmable")));
    assertEquals(List.of("api-plug", "lamp"), ids(r));
    assertTrue(on(() -> Future.succeededFuture(r.require("lamp"))).fromConfig());
    assertFalse(on(() -> Future.succeededFuture(r.require("api-plug"))).fromConfig());
    assertEquals("plug", on(() -> Future.succeededFuture(r.require("api-plug"))).profile().id());
    assertTrue(stored("lamp").orElseThrow().fromConfig(), "config devices are stored too");
  }

  @Test
  void configFileWinsForItsOwnIds() {
    loaded(List.of(device("lamp", "light.dimmable")));
    DeviceRegistry again = loaded(List.of(new DeviceDefinition("lamp", "Renamed", "hall", "light.dimmable", MQTT)));
    assertEquals("Renamed", on(() -> Future.succeededFuture(again.require("lamp"))).definition().name());
  }

  @Test
  void configDeviceDroppedFromTheFileIsDropped() {
    loaded(List.of(device("lamp", "light.dimmable"), device("plug", "plug")));
    DeviceRegistry again = loaded(List.of(device("lamp", "light.dimmable")));
    assertEquals(List.of("lamp"), ids(again));
    assertFalse(stored("plug").isPresent());
  }

  @Test
  void configDeviceTheOwnerDeletedStaysDeleted() {
    DeviceRegistry r = loaded(List.of(device("lamp", "light.dimmable")));
    on(() -> r.remove("lamp"));
    DeviceRegistry again = loaded(List.of(device("lamp", "light.dimmable")));
    assertEquals(List.of(), ids(again));
  }

  @Test
  void storedDeviceWithAVanishedProfileFailsTheLoad() {
    memory.devices().upsert(new StoredDevice(device("toaster", "toaster"), false));
    Throwable e = failure(() -> new DeviceRegistry(PROFILES, store).load(List.of()));
    assertInstanceOf(ConfigException.class, e);
    assertTrue(e.getMessage().contains("'toaster'"), e.getMessage());
  }

  @Test
  void addIsDurableThenVisibleThenAnnounced() {
    DeviceRegistry r = loaded(List.of());
    List<String> announced = new CopyOnWriteArrayList<>();
    on(() -> {
      r.addListener(new DeviceRegistry.RegistryListener() {
        @Override
        public void added(DeviceRegistry.RegisteredDevice d) {
          assertTrue(stored(d.id()).isPresent(), "announced before it was stored");
          announced.add("added " + d.id());
        }

        @Override
        public void removed(DeviceRegistry.RegisteredDevice d) {
          assertFalse(stored(d.id()).isPresent(), "announced before it was deleted");
          announced.add("removed " + d.id());
        }
      });
      return Future.succeededFuture();
    });
    on(() -> r.add(device("new-plug", "plug")));
    assertEquals(List.of("new-plug"), ids(r));
    on(() -> r.remove("new-plug"));
    assertEquals(List.of(), ids(r));
    assertEquals(List.of("added new-plug", "removed new-plug"), announced);
  }

  @Test
  void addingAnExistingIdIsRefusedEvenWhileTheFirstWriteIsUnderWay() {
    DeviceRegistry r = loaded(List.of(device("lamp", "light.dimmable")));
    ValidationException dup = assertInstanceOf(ValidationException.class, failure(() -> r.add(device("lamp", "plug"))));
    assertEquals("id", dup.errors().get(0).property());
    // two adds of one id in the same turn: the first is stored, the second refused
    List<Future<DeviceRegistry.RegisteredDevice>> both = on(() -> {
      Future<DeviceRegistry.RegisteredDevice> a = r.add(device("twin", "plug"));
      Future<DeviceRegistry.RegisteredDevice> b = r.add(device("twin", "plug"));
      return Future.join(a, b).transform(x -> Future.succeededFuture(List.of(a, b)));
    });
    assertTrue(both.get(0).succeeded(), () -> String.valueOf(both.get(0).cause()));
    assertInstanceOf(ValidationException.class, both.get(1).cause());
    assertEquals(List.of("lamp", "twin"), ids(r));
  }

  @Test
  void removingAnUnknownDeviceIsNotFound() {
    DeviceRegistry r = loaded(List.of());
    DeviceNotFoundException e = assertInstanceOf(DeviceNotFoundException.class, failure(() -> r.remove("ghost")));
    assertEquals("ghost", e.deviceId());
  }
}
