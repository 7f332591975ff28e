package io.hearth.gateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.device.DeviceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceCredentialsTest {
  private final DeviceCredentials credentials = new DeviceCredentials();
  /** The MQTT transport keeps the credentials in step with the registry and says what each device may use. */
  private final MqttTransport mqtt = new MqttTransport(credentials, () -> {
    throw new AssertionError("no adapter in this test");
  });

  private static DeviceDefinition lamp(String password) {
    return new DeviceDefinition("lamp", null, null, "light.dimmable",
        new MqttBinding("hearth", null, new MqttBinding.Credentials("lamp-user", password)));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void deviceIsAdmittedOnlyWithItsPasswordAndConfinedToItsTopics() {
    mqtt.deviceRegistered(lamp("correct-horse"));

    var granted = credentials.authorize("any-client", "lamp-user", b("correct-horse")).orElseThrow();
    assertTrue(granted.publish().contains("hearth/lamp/state"));
    assertTrue(granted.subscribe().contains("hearth/lamp/set"));
    assertFalse(granted.publish().contains("#"));
    assertTrue(credentials.authorize("any-client", "lamp-user", b("wrong-horse")).isEmpty());
    assertTrue(credentials.authorize("any-client", "nobody", b("correct-horse")).isEmpty());
    assertTrue(credentials.authorize("any-client", null, null).isEmpty());
  }

  @Test
  void removedDeviceIsRefused() {
    mqtt.deviceRegistered(lamp("correct-horse"));
    mqtt.deviceRemoved(lamp("correct-horse"));

    assertTrue(credentials.authorize("c", "lamp-user", b("correct-horse")).isEmpty());
  }

  @Test
  void gatewayClientHasFullAccessAndItsClientIdCannotBeTakenOver() {
    mqtt.deviceRegistered(lamp("correct-horse"));

    var gateway = credentials.authorize(DeviceCredentials.GATEWAY_CLIENT_ID, DeviceCredentials.GATEWAY_USER,
        b(credentials.gatewaySecret())).orElseThrow();
    assertEquals(List.of("#"), gateway.publish());
    // a device with valid credentials must not kick the gateway's session out by reusing its client id
    assertTrue(credentials.authorize(DeviceCredentials.GATEWAY_CLIENT_ID, "lamp-user", b("correct-horse")).isEmpty());
    // nor the id of this installation's client
    assertTrue(credentials.authorize("hearth-gateway-0123456789abcdef", "lamp-user", b("correct-horse")).isEmpty());
    assertTrue(credentials.authorize("lamp-1", "lamp-user", b("correct-horse")).isPresent());
    assertTrue(credentials.usernameTaken(DeviceCredentials.GATEWAY_USER));
  }
}
