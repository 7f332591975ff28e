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
    assertEquals(List.of(new BindingInput.Problem("qos", "is not a binding key [convention, credentials, protocol,"
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
}
