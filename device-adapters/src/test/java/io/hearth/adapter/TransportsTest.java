package io.hearth.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.coap.CoapAdapterOptions;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.coap.CoapTransport;
import io.hearth.adapter.mqtt.MqttAccounts;
import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.adapter.mqtt.TopicPermissions;
import io.hearth.device.DeviceDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transport registry: parsing, stored form and provisioning dispatched by protocol, with no network. */
@Timeout(10)
class TransportsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Broker accounts kept in a map, as the gateway's embedded broker keeps them. */
  static final class Accounts implements MqttAccounts {
    final Map<String, TopicPermissions> admitted = new HashMap<>();

    @Override
    public String newPassword() {
      return "generated-password";
    }

    @Override
    public boolean usernameTaken(String username) {
      return admitted.containsKey(username) || username.equals("reserved");
    }

    @Override
    public void admit(String deviceId, MqttBinding.Credentials credentials, TopicPermissions permissions) {
      admitted.put(credentials.username(), permissions);
    }

    @Override
    public void revoke(String deviceId, String username) {
      admitted.remove(username);
    }
  }

  private final Accounts accounts = new Accounts();
  private final Transports transports = Transports.of(
      new MqttTransport(accounts, () -> MqttAdapterOptions.of("tcp://127.0.0.1:1883", "gw")),
      new CoapTransport(CoapAdapterOptions.defaults()));

  private Transports.Parsed parse(String json) throws Exception {
    JsonNode n = JSON.readTree(json);
    return transports.parse(n, "lamp");
  }

  private static List<String> keys(Transports.Parsed p) {
    return p.problems().stream().map(BindingInput.Problem::key).toList();
  }

  @Test
  void eachProtocolParsesItsOwnBinding() throws Exception {
    assertEquals(new MqttBinding("tasmota", "lamp", null), parse("{\"protocol\":\"mqtt\",\"convention\":\"tasmota\"}")
        .binding(), "tasmota names its topics after the device by default");
    assertEquals(new MqttBinding("hearth", null, null), parse("{\"protocol\":\"mqtt\"}").binding());
    assertEquals(new CoapBinding("generic", "coap://h:1", "/s", "replace", Map.of()),
        parse("{\"protocol\":\"coap\",\"convention\":\"generic\",\"uri\":\"coap://h:1\",\"state\":\"/s\","
            + "\"write\":\"replace\"}").binding());
  }

  @Test
  void unknownProtocolIsRefusedNamingTheRegisteredOnes() throws Exception {
    Transports.Parsed p = parse("{\"protocol\":\"zigbee\"}");
    assertEquals(List.of(new BindingInput.Problem("protocol", "must be mqtt or coap")), p.problems());
    assertNull(p.binding());
    assertEquals("protocol", keys(parse("{\"convention\":\"hearth\"}")).get(0));
    assertEquals(List.of(new BindingInput.Problem("", "is required: { protocol: mqtt|coap, convention: … }")),
        transports.parse(null, "lamp").problems());
  }

  @Test
  void unknownConventionIsRefusedNamingTheProtocolsOwn() throws Exception {
    assertEquals(List.of(new BindingInput.Problem("convention",
        "must be one of [hearth, tasmota, zigbee2mqtt] for mqtt")),
        parse("{\"protocol\":\"mqtt\",\"convention\":\"generic\"}").problems());
    assertEquals(List.of(new BindingInput.Problem("convention", "must be one of [generic, hearth] for coap")),
        parse("{\"protocol\":\"coap\",\"convention\":\"tasmota\",\"uri\":\"coap://h:1\"}").problems());
  }

  @Test
  void anotherProtocolsKeyIsNamedAsSuch() throws Exception {
    assertEquals(List.of(new BindingInput.Problem("uri", "is for coap bindings, not mqtt")),
        parse("{\"protocol\":\"mqtt\",\"uri\":\"coap://h:1\"}").problems());
    assertEquals(List.of(new BindingInput.Problem("credentials", "is for mqtt bindings, not coap")),
        parse("{\"protocol\":\"coap\",\"uri\":\"coap://h:1\",\"credentials\":{\"username\":\"u\","
            + "\"password\":\"12345678\"}}").problems());
    assertEquals(List.of(new BindingInput.Problem("qos", "is not a binding key [bridge, convention, credentials, protocol,"
        + " topic]")), parse("{\"protocol\":\"mqtt\",\"qos\":1}").problems());
  }

  @Test
  void storedFormKeepsTheOldColumnKeysAndReadsBack() {
    MqttBinding mqtt = new MqttBinding("zigbee2mqtt", "hall", new MqttBinding.Credentials("u", "p4ssword"));
    Map<String, Object> stored = transports.toStored(mqtt);
    assertEquals(List.of("protocol", "convention", "topic", "credentials"), List.copyOf(stored.keySet()));
    assertEquals(mqtt, transports.fromStored(stored));
    CoapBinding coap = new CoapBinding("generic", "coaps://h:1", "/state", "patch",
        Map.of("psk", Map.of("identity", "i", "key", "k")));
    stored = transports.toStored(coap);
    assertEquals(List.of("protocol", "convention", "uri", "statePath", "write", "extra"),
        List.copyOf(stored.keySet()));
    assertEquals(coap, transports.fromStored(stored));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> transports.fromStored(Map.of("protocol", "ble")));
    assertEquals("stored binding with unknown protocol 'ble' (known: mqtt, coap)", e.getMessage());
  }

  @Test
  void newMqttDeviceGetsCredentialsShownOnceAndIsAdmittedToItsOwnTopics() {
    DeviceDefinition lamp = new DeviceDefinition("lamp", null, null, "light.dimmable", new MqttBinding(null, null, null));
    Transport.NewDevice prepared = transports.prepare(lamp);
    MqttBinding b = assertInstanceOf(MqttBinding.class, prepared.device().binding());
    assertEquals(new MqttBinding.Credentials("lamp", "generated-password"), b.credentials());
    assertEquals(Map.of("credentials", Map.of("username", "lamp", "password", "generated-password")),
        prepared.shownOnce());

    transports.deviceRegistered(prepared.device());
    assertTrue(accounts.admitted.get("lamp").publish().contains("hearth/lamp/state"));
    BindingException taken = assertThrows(BindingException.class, () -> transports.prepare(prepared.device()));
    assertEquals("credentials.username", taken.key());
    assertEquals("is already used by another client", taken.getMessage());

    transports.deviceRemoved(prepared.device());
    assertTrue(accounts.admitted.isEmpty());
  }

  @Test
  void coapDeviceNeedsNothing() {
    DeviceDefinition porch = new DeviceDefinition("porch", null, null, "light.dimmable", CoapBinding.hearth("coap://h:1"));
    assertEquals(new Transport.NewDevice(porch, Map.of()), transports.prepare(porch));
  }

  @Test
  void twoTransportsForOneProtocolAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Transports.of(new CoapTransport(CoapAdapterOptions.defaults()),
        new CoapTransport(CoapAdapterOptions.defaults())));
  }

  @Test
  void supportsDispatchToTheBindingsConvention() {
    var light = TestProfiles.get("light.dimmable");
    var curtain = TestProfiles.get("curtain");
    // hearth (MQTT and CoAP) carries the whole profile
    Supports all = transports.supports(def("a", "light.dimmable", new MqttBinding("hearth", null, null)), light);
    assertEquals(Supports.all(light), all);
    assertEquals(List.of("power", "brightness", "color_temp"), all.read());
    assertEquals(List.of("blink"), all.actions());
    assertEquals(Supports.all(curtain), transports.supports(def("b", "curtain",
        new CoapBinding("hearth", "coap://127.0.0.1:5683", "/state", "patch", Map.of())), curtain));
    // generic CoAP: every property, no action
    Supports generic = transports.supports(def("c", "curtain",
        new CoapBinding("generic", "coap://127.0.0.1:5683", "/state", "patch", Map.of())), curtain);
    assertEquals(List.of("position"), generic.set());
    assertEquals(List.of(), generic.actions());
    // tasmota: no actions, and no property a lock has
    Supports tasmota = transports.supports(def("d", "light.dimmable", new MqttBinding("tasmota", "d", null)), light);
    assertEquals(List.of(), tasmota.actions());
    assertEquals(List.of("power", "brightness", "color_temp"), tasmota.set());
    // zigbee2mqtt: cover actions for a curtain
    assertEquals(List.of("open", "close", "stop"), transports.supports(def("e", "curtain",
        new MqttBinding("zigbee2mqtt", "e", null)), curtain).actions());
  }

  @Test
  void supportsKeepsTheProfilesOrderAndOnlyWritablePropertiesInSet() {
    var plug = TestProfiles.get("plug");
    Supports s = Supports.of(plug, List.of("energy_kwh", "power", "nonsense"), List.of("power_w", "power"), List.of("x"));
    assertEquals(List.of("power", "energy_kwh"), s.read());
    assertEquals(List.of("power"), s.set());
    assertEquals(List.of(), s.actions());
    assertTrue(s.canSet("power"));
    assertTrue(!s.canSet("power_w"));
  }

  private static DeviceDefinition def(String id, String profile, io.hearth.device.Binding binding) {
    return new DeviceDefinition(id, null, null, profile, binding);
  }
}
