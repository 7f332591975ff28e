package io.hearth.gateway.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.Discovered;
import io.hearth.adapter.Transports;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.GatewayTransports;
import io.hearth.gateway.command.MemoryStore;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.store.AsyncStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pending list and approvals over a real registry (in-memory store) and the gateway's transports. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PendingDevicesTest {
  private static final Map<String, Profile> PROFILES = ProfileLoader.loadFolder(Path.of("../config/profiles"));
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  private Vertx vertx;
  private DeviceRegistry registry;
  private final Transports transports = GatewayTransports.forReading();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    registry = new DeviceRegistry(PROFILES, new AsyncStore(vertx, new MemoryStore()));
    on(() -> registry.load(List.of(
        new DeviceDefinition("hall-plug", null, null, "plug", new MqttBinding("tasmota", "tasmota_AAAAAA", null)),
        new DeviceDefinition("porch", null, null, "light.dimmable", CoapBinding.hearth("coap://127.0.0.1:5700")))));
  }

  private <T> T on(Supplier<Future<T>> op) throws Exception {
    CompletableFuture<T> cf = new CompletableFuture<>();
    vertx.runOnContext(v -> op.get().onComplete(ar -> {
      if (ar.succeeded()) {
        cf.complete(ar.result());
      } else {
        cf.completeExceptionally(ar.cause());
      }
    }));
    try {
      return cf.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
    }
  }

  static Discovered tasmota(String mac, String id, String topic, String profile) {
    return new Discovered("tasmota", mac, id, "Tasmota " + topic, profile,
        Map.of("protocol", "mqtt", "convention", "tasmota", "topic", topic), Map.of("mac", mac), NOW);
  }

  static Discovered rd(String ep) {
    return new Discovered("coap-rd", ep, ep, null, "light.dimmable",
        Map.of("protocol", "coap", "convention", "hearth", "uri", "coap://127.0.0.1:5701"), Map.of(), NOW);
  }

  @Test
  void aRegisteredDeviceIsNotPending() {
    PendingDevices p = new PendingDevices(registry, transports, 10);
    // same convention and topic as hall-plug, under another id
    p.offer(tasmota("AAAAAAAAAAAA", "tasmota_aaaaaa", "tasmota_AAAAAA", "plug"));
    // the RD endpoint of an approved device
    p.offer(rd("porch"));
    assertEquals(List.of(), p.pending());
    // an unknown one is
    p.offer(tasmota("BBBBBBBBBBBB", "tasmota_bbbbbb", "tasmota_BBBBBB", "plug"));
    assertEquals(List.of("tasmota_bbbbbb"), p.pending().stream().map(Discovered::suggestedId).toList());
  }

  @Test
  void suggestedIdsAreMadeUnique() {
    PendingDevices p = new PendingDevices(registry, transports, 10);
    // "porch" is a CoAP device: an MQTT device suggesting that id is another device
    p.offer(tasmota("CCCCCCCCCCCC", "porch", "porch_plug", "plug"));
    p.offer(tasmota("DDDDDDDDDDDD", "porch", "porch_plug2", "plug"));
    assertEquals(List.of("porch-2", "porch-3"), p.pending().stream().map(Discovered::suggestedId).toList());
    // an announcement again keeps its id and replaces the entry
    p.offer(tasmota("CCCCCCCCCCCC", "porch", "porch_plug", "light.dimmable"));
    assertEquals("light.dimmable", p.byId("porch-2").orElseThrow().profile());
    assertEquals(2, p.pending().size());
  }

  @Test
  void theListIsBoundedAndWithdrawalsFreeRoom() {
    PendingDevices p = new PendingDevices(registry, transports, 2);
    p.offer(tasmota("111111111111", "a", "a", "plug"));
    p.offer(tasmota("222222222222", "b", "b", "plug"));
    p.offer(tasmota("333333333333", "c", "c", "plug"));
    assertEquals(List.of("a", "b"), p.pending().stream().map(Discovered::suggestedId).toList());
    assertEquals(1, p.refused());
    p.withdraw("tasmota", "111111111111");
    p.offer(tasmota("333333333333", "c", "c", "plug"));
    assertEquals(List.of("b", "c"), p.pending().stream().map(Discovered::suggestedId).toList());
  }

  @Test
  void approvalGoesThroughTheRegistrationChecks() throws Exception {
    PendingDevices p = new PendingDevices(registry, transports, 10);
    Approvals approvals = new Approvals(p, registry, transports);
    p.offer(tasmota("EEEEEEEEEEEE", "sensor", "sensor_1", null));
    p.offer(rd("kitchen"));
    // nothing pending under that id
    assertInstanceOf(DeviceNotFoundException.class, failure(() -> approvals.approve("nobody", Map.of())));
    // no guess and none given: 422 naming profile
    ValidationException noProfile = (ValidationException) failure(() -> approvals.approve("sensor", Map.of()));
    assertEquals(List.of("profile"), noProfile.errors().stream().map(FieldError::property).toList());
    // CoAP-only keys on an MQTT device
    ValidationException coapOnly = (ValidationException) failure(() ->
        approvals.approve("sensor", Map.of("profile", "sensor.climate", "convention", "generic")));
    assertEquals(List.of("convention"), coapOnly.errors().stream().map(FieldError::property).toList());
    // a bad write value is the binding's check
    ValidationException badWrite = (ValidationException) failure(() ->
        approvals.approve("kitchen", Map.of("convention", "generic", "write", "overwrite")));
    assertEquals(List.of("binding.write"), badWrite.errors().stream().map(FieldError::property).toList());
    // a CoAP device approved as generic with replace keeps them
    Approvals.Approved coap = on(() -> approvals.approve("kitchen",
        Map.of("convention", "generic", "write", "replace", "name", "Kitchen")));
    CoapBinding b = CoapBinding.of(coap.device().definition());
    assertEquals("generic", b.convention());
    assertEquals("replace", b.write());
    assertEquals("coap://127.0.0.1:5701", b.uri());
    assertEquals("Kitchen", coap.device().definition().name());
    assertTrue(coap.shownOnce().isEmpty());
    // an MQTT device gets credentials, shown once
    Approvals.Approved mqtt = on(() -> approvals.approve("sensor", Map.of("profile", "sensor.climate")));
    assertTrue(mqtt.shownOnce().containsKey("credentials"), mqtt.shownOnce()::toString);
    assertEquals("Tasmota sensor_1", mqtt.device().definition().name());
    assertEquals(List.of(), p.pending());
    // approving again is 404: nothing pending under that id
    assertInstanceOf(DeviceNotFoundException.class, failure(() -> approvals.approve("kitchen", Map.of())));
    // WHEN an approved device is deleted THEN its announcement is listed again
    on(() -> registry.remove("kitchen"));
    assertEquals(List.of("kitchen"), p.pending().stream().map(Discovered::suggestedId).toList());
  }

  private Throwable failure(Supplier<Future<?>> op) {
    try {
      Object r = on(op::get);
      throw new AssertionError("expected a failure, got " + r);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      return e;
    }
  }
}
