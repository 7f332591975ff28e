package io.hearth.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: the device model records — id rules, defaults, no secret in toString, profile order. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeviceModelTest {

  @Test
  void deviceIdsAreOneToSixtyFourLowerCaseCharacters() {
    assertTrue(DeviceDefinition.isValidId("living-lamp"));
    assertTrue(DeviceDefinition.isValidId("a"));
    assertTrue(DeviceDefinition.isValidId("x_1-2"));
    assertTrue(DeviceDefinition.isValidId("a".repeat(64)));
    assertFalse(DeviceDefinition.isValidId("a".repeat(65)));
    assertFalse(DeviceDefinition.isValidId(""));
    assertFalse(DeviceDefinition.isValidId(null));
    assertFalse(DeviceDefinition.isValidId("Living-Lamp"));
    assertFalse(DeviceDefinition.isValidId("lamp.1"));
    assertFalse(DeviceDefinition.isValidId("lamp/1"));
    assertFalse(DeviceDefinition.isValidId("lamp 1"));
    assertFalse(DeviceDefinition.isValidId("lämp"));
  }

  @Test
  void nameDefaultsToIdAndConventionToHearth() {
    Binding b = new MqttBinding(null, null, null);
    assertEquals("hearth", b.convention());
    assertEquals("mqtt", b.protocol());
    assertEquals(Map.of(), new CoapBinding(null, "coap://h:1", null, null, null).extra());
    assertEquals("hearth", new CoapBinding(null, "coap://h:1", null, null, null).convention());
    DeviceDefinition d = new DeviceDefinition("lamp", " ", null, "light.dimmable", b);
    assertEquals("lamp", d.name());
    assertNull(d.room());
  }

  @Test
  void credentialsNeverShowTheirPassword() {
    MqttBinding.Credentials c = new MqttBinding.Credentials("lamp", "s3cret-pass");
    assertFalse(c.toString().contains("s3cret-pass"), c.toString());
    MqttBinding b = new MqttBinding("hearth", null, null).withCredentials(c);
    assertFalse(b.toString().contains("s3cret-pass"), b.toString());
    assertEquals(c, b.credentials());
  }

  @Test
  void profileKeepsPropertyOrderAndIsReadOnly() {
    Map<String, PropertySpec> props = new LinkedHashMap<>();
    for (String n : List.of("zeta", "alpha", "mid")) {
      props.put(n, new PropertySpec(n, PropertyType.BOOL, true, null, null, null, null, null, null));
    }
    Profile p = new Profile("x", null, props, null, null);
    assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(p.properties().keySet()));
    assertEquals("x", p.name());
    assertThrows(UnsupportedOperationException.class, () -> p.properties().remove("zeta"));
    props.clear();
    assertEquals(3, p.properties().size(), "the profile holds its own copy");
  }
}
