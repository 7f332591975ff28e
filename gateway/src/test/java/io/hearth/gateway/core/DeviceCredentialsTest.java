package io.hearth.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceCredentialsTest {
  private final DeviceCredentials credentials = new DeviceCredentials();

  private static DeviceDefinition lamp(String password) {
    return new DeviceDefinition("lamp", null, null, "light.dimmable",
        new Binding("mqtt", "hearth", null, null, null, null, new Binding.Credentials("lamp-user", password), null));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void deviceIsAdmittedOnlyWithItsPasswordAndConfinedToItsTopics() {
    credentials.put(lamp("correct-horse"));

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
    credentials.put(lamp("correct-horse"));
    credentials.remove(lamp("correct-horse"));

    assertTrue(credentials.authorize("c", "lamp-user", b("correct-horse")).isEmpty());
  }

  @Test
  void gatewayClientHasFullAccessAndItsClientIdCannotBeTakenOver() {
    credentials.put(lamp("correct-horse"));

    var gateway = credentials.authorize(DeviceCredentials.GATEWAY_CLIENT_ID, DeviceCredentials.GATEWAY_USER,
        b(credentials.gatewaySecret())).orElseThrow();
    assertEquals(List.of("#"), gateway.publish());
    // a device with valid credentials must not kick the gateway's session out by reusing its client id
    assertTrue(credentials.authorize(DeviceCredentials.GATEWAY_CLIENT_ID, "lamp-user", b("correct-horse")).isEmpty());
    assertTrue(credentials.usernameTaken(DeviceCredentials.GATEWAY_USER));
  }
}
