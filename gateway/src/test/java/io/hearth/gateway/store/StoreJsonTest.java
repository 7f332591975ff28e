package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.PowerSource;
import io.hearth.gateway.TestTransports;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stored form of a device definition: rows written before bindings were per protocol still load. */
@Timeout(10)
class StoreJsonTest {
  private final StoreJson json = new StoreJson(TestTransports.standard());

  /** Rows exactly as the flat binding record wrote them (every protocol's keys, null where unused). */
  private static final String OLD_MQTT_ROW = "{\"id\":\"lamp\",\"name\":\"Lamp\",\"room\":\"living\",\"profile\":"
      + "\"light.dimmable\",\"binding\":{\"protocol\":\"mqtt\",\"convention\":\"tasmota\",\"topic\":\"tasmota_1A\","
      + "\"uri\":null,\"statePath\":null,\"write\":null,\"credentials\":{\"username\":\"u\",\"password\":\"pw-12345\"},"
      + "\"extra\":{}}}";
  private static final String OLD_COAP_ROW = "{\"id\":\"porch\",\"name\":\"porch\",\"room\":null,\"profile\":"
      + "\"light.dimmable\",\"binding\":{\"protocol\":\"coap\",\"convention\":\"generic\",\"topic\":null,"
      + "\"uri\":\"coaps://127.0.0.1:5684\",\"statePath\":\"/state\",\"write\":\"replace\","
      + "\"extra\":{\"psk\":{\"identity\":\"p\",\"key\":\"k\"}}}}";

  @Test
  void rowsOfTheFlatBindingLoad() {
    assertEquals(new DeviceDefinition("lamp", "Lamp", "living", "light.dimmable",
        new MqttBinding("tasmota", "tasmota_1A", new MqttBinding.Credentials("u", "pw-12345"))),
        json.definition(OLD_MQTT_ROW));
    assertEquals(new DeviceDefinition("porch", "porch", null, "light.dimmable",
        new CoapBinding("generic", "coaps://127.0.0.1:5684", "/state", "replace",
            Map.of("psk", Map.of("identity", "p", "key", "k")))),
        json.definition(OLD_COAP_ROW));
  }

  @Test
  void newRowsKeepTheSameKeysForTheirProtocolAndRoundTrip() {
    DeviceDefinition lamp = json.definition(OLD_MQTT_ROW);
    String row = json.definition(lamp);
    assertEquals("{\"id\":\"lamp\",\"name\":\"Lamp\",\"room\":\"living\",\"profile\":\"light.dimmable\",\"binding\":"
        + "{\"protocol\":\"mqtt\",\"convention\":\"tasmota\",\"topic\":\"tasmota_1A\",\"credentials\":"
        + "{\"username\":\"u\",\"password\":\"pw-12345\"}}}", row);
    assertEquals(lamp, json.definition(row));
    DeviceDefinition porch = json.definition(OLD_COAP_ROW);
    row = json.definition(porch);
    assertEquals("{\"id\":\"porch\",\"name\":\"porch\",\"room\":null,\"profile\":\"light.dimmable\",\"binding\":"
        + "{\"protocol\":\"coap\",\"convention\":\"generic\",\"uri\":\"coaps://127.0.0.1:5684\",\"statePath\":"
        + "\"/state\",\"write\":\"replace\",\"extra\":{\"psk\":{\"identity\":\"p\",\"key\":\"k\"}}}}", row);
    assertEquals(porch, json.definition(row));
  }

  @Test
  void powerSourceAndAvailabilityTimeoutRoundTripAndOlderRowsHaveNone() {
    DeviceDefinition lamp = json.definition(OLD_MQTT_ROW);
    assertNull(lamp.powerSource());
    assertNull(lamp.availabilityTimeoutMin());
    assertFalse(json.definition(lamp).contains("powerSource"), "nothing new written for a device without them");
    DeviceDefinition sensor = new DeviceDefinition("door", null, null, "sensor.contact",
        new MqttBinding("zigbee2mqtt", "door", null), PowerSource.BATTERY, 90);
    String row = json.definition(sensor);
    assertTrue(row.contains("\"powerSource\":\"battery\",\"availabilityTimeoutMin\":90"), row);
    assertEquals(sensor, json.definition(row));
  }

  @Test
  void aProtocolWithoutTransportFailsNamingTheDevice() {
    StoreException e = assertThrows(StoreException.class, () -> json.definition(
        "{\"id\":\"x\",\"profile\":\"plug\",\"binding\":{\"protocol\":\"ble\",\"convention\":\"hearth\"}}"));
    assertTrue(e.getMessage().contains("device 'x'") && e.getMessage().contains("'ble'"), e.getMessage());
  }
}
