package io.hearth.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.device.Profile;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.TestTransports;
import io.hearth.gateway.profile.ProfileLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: {@link DeviceParser} on {@code POST /devices}-shaped JSON: every problem collected with its path. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeviceParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Map<String, Profile> profiles;

  @BeforeAll
  static void loadProfiles() {
    profiles = ProfileLoader.loadFolder(Path.of("../config/profiles"));
  }

  private static DeviceParser.Result parse(String json) throws Exception {
    JsonNode n = JSON.readTree(json);
    return DeviceParser.parse(n, profiles, TestTransports.standard());
  }

  @Test
  void goodEntry() throws Exception {
    DeviceParser.Result r = parse("""
        {"id":"porch","name":"Porch","room":"outside","profile":"light.dimmable",
         "binding":{"protocol":"coap","uri":"coaps://10.0.0.9:5684","convention":"generic","psk":{"identity":"p","key":"k"}}}""");
    assertTrue(r.ok(), r.errors()::toString);
    assertEquals("porch", r.device().id());
    CoapBinding b = assertInstanceOf(CoapBinding.class, r.device().binding());
    assertEquals("/state", b.statePath());
    assertEquals("patch", b.write());
    assertEquals(Map.of("identity", "p", "key", "k"), b.extra().get("psk"));
  }

  @Test
  void coapsEntryNeedsAWellFormedKey() throws Exception {
    // GIVEN coaps:// devices without psk, and with a psk missing its key
    DeviceParser.Result none = parse("""
        {"id":"porch","profile":"light.dimmable","binding":{"protocol":"coap","uri":"coaps://10.0.0.9:5684"}}""");
    DeviceParser.Result keyless = parse("""
        {"id":"porch","profile":"light.dimmable",
         "binding":{"protocol":"coap","uri":"coaps://10.0.0.9:5684","psk":{"identity":"p"}}}""");
    // THEN both are refused at parse time, naming binding.psk (never only when the adapter attaches)
    assertFalse(none.ok());
    assertEquals("binding.psk", none.errors().get(0).property());
    assertTrue(none.errors().get(0).message().contains("required for a coaps:// device"), none.errors()::toString);
    assertFalse(keyless.ok());
    assertEquals("binding.psk", keyless.errors().get(0).property());
    assertEquals("key must be a string", keyless.errors().get(0).message());
  }

  @Test
  void powerSourceAndAvailabilityTimeoutAreDeviceKeys() throws Exception {
    DeviceParser.Result r = parse("""
        {"id":"door","profile":"sensor.contact","powerSource":"battery","availabilityTimeoutMin":120,
         "binding":{"protocol":"coap","uri":"coap://10.0.0.9:5683"}}""");
    assertTrue(r.ok(), r.errors()::toString);
    assertEquals(io.hearth.device.PowerSource.BATTERY, r.device().powerSource());
    assertEquals(120, r.device().availabilityTimeoutMin());
    DeviceParser.Result none = parse("""
        {"id":"door","profile":"sensor.contact","binding":{"protocol":"coap","uri":"coap://10.0.0.9:5683"}}""");
    assertNull(none.device().powerSource());
    assertNull(none.device().availabilityTimeoutMin());
    DeviceParser.Result bad = parse("""
        {"id":"door","profile":"sensor.contact","powerSource":"solar","availabilityTimeoutMin":-1,
         "binding":{"protocol":"coap","uri":"coap://10.0.0.9:5683"}}""");
    assertEquals(List.of("powerSource", "availabilityTimeoutMin"),
        bad.errors().stream().map(FieldError::property).toList());
  }

  @Test
  void everyProblemIsCollectedWithItsPath() throws Exception {
    DeviceParser.Result r = parse("""
        {"id":"Bad Id","profile":"toaster","colour":"red","room":"a/b",
         "binding":{"protocol":"coap","convention":"tasmota","qos":1,"state":"state"}}""");
    assertFalse(r.ok());
    assertNull(r.device());
    assertEquals(List.of("colour", "id", "profile", "room", "binding.qos", "binding.convention", "binding.uri",
        "binding.state"), r.errors().stream().map(FieldError::property).toList());
  }

  @Test
  void notAMapping() throws Exception {
    assertEquals(List.of(new FieldError("", "a device must be a mapping")), parse("[1]").errors());
    assertEquals(List.of(new FieldError("", "a device must be a mapping")), DeviceParser.parse(null, profiles, TestTransports.standard()).errors());
  }

  @Test
  void credentialsOnlyForMqtt() throws Exception {
    DeviceParser.Result r = parse("""
        {"id":"t","profile":"thermostat","binding":{"protocol":"coap","uri":"coap://h:5683",
         "credentials":{"username":"t","password":"12345678"}}}""");
    assertEquals(List.of("binding.credentials"), r.errors().stream().map(FieldError::property).toList());
  }

  @Test
  void nonTextIdIsRefused() throws Exception {
    assertEquals("id", parse("{\"id\":[\"a\"],\"profile\":\"plug\",\"binding\":{\"protocol\":\"mqtt\"}}")
        .errors().get(0).property());
  }

  @Test
  void unknownProtocolOrConventionIsRefusedWithTheKnownOnes() throws Exception {
    assertEquals(List.of(new FieldError("binding.protocol", "must be mqtt or coap")),
        parse("{\"id\":\"t\",\"profile\":\"plug\",\"binding\":{\"protocol\":\"matter\"}}").errors());
    assertEquals(List.of(new FieldError("binding.convention", "must be one of [hearth, tasmota, zigbee2mqtt] for mqtt")),
        parse("{\"id\":\"t\",\"profile\":\"plug\",\"binding\":{\"protocol\":\"mqtt\",\"convention\":\"homie\"}}")
            .errors());
    assertEquals(List.of(new FieldError("binding.uri", "is for coap bindings, not mqtt")),
        parse("{\"id\":\"t\",\"profile\":\"plug\",\"binding\":{\"protocol\":\"mqtt\",\"uri\":\"coap://h:1\"}}")
            .errors());
  }
}
