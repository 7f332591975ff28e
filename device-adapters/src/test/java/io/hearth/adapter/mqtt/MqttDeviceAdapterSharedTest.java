package io.hearth.adapter.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.device.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link MqttDeviceAdapterTest} again with subscriptions shared per convention (one
 * {@code hearth/+/state} for every hearth device, as with the embedded broker), plus what sharing
 * changes: a device attached while the shared filters are held still gets its retained messages,
 * once, and detaching one device keeps the others' topics subscribed.
 */
class MqttDeviceAdapterSharedTest extends MqttDeviceAdapterTest {

  private static final Profile LIGHT = new Profile("light.dimmable", null, null, null, null);

  @Override
  boolean shared() {
    return true;
  }

  @Test
  void deviceAttachedWhileSharedFiltersAreHeldGetsItsRetainedStateAndEachMessageOnce() throws Exception {
    // GIVEN a hearth device attached (the shared hearth/+/… filters are held)
    result(adapter().attach(Devices.mqtt("first-s", "hearth", null), LIGHT));
    // AND another device that published a retained state before the gateway knew it
    DeviceClient device = device(null, null);
    device.publish("hearth/late-s/state", "{\"power\":true,\"brightness\":12}", true);

    // WHEN that device is attached
    result(adapter().attach(Devices.mqtt("late-s", "hearth", null), LIGHT));

    // THEN its retained state arrives, marked retained
    await().atMost(Duration.ofSeconds(10)).until(() -> sink().lastStateWith("late-s", "power") != null);
    assertEquals(Map.of("power", true, "brightness", 12L), sink().lastStateWith("late-s", "power").properties());
    assertTrue(sink().lastStateWith("late-s", "power").retained());

    // AND while its own filters overlap the shared ones, a live event arrives once, not once per filter
    device.publish("hearth/late-s/event/pressed", "{\"n\":1}", false);
    device.publish("hearth/late-s/state", "{\"brightness\":13}", false); // after the event, on the same link
    await().atMost(Duration.ofSeconds(10)).until(() -> sink().lastStateWith("late-s", "brightness")
        .properties().get("brightness").equals(13L));
    assertEquals(1, sink().events.stream().filter(e -> e.deviceId().equals("late-s")).count());
    assertEquals(1, sink().states.stream()
        .filter(s -> s.deviceId().equals("late-s") && Long.valueOf(13).equals(s.properties().get("brightness"))).count());
    device.publish("hearth/late-s/state", new byte[0], true); // clean up the retained message
  }

  @Test
  void detachingOneDeviceKeepsTheSharedFiltersOfTheOthers() throws Exception {
    // GIVEN two hearth devices sharing hearth/+/state
    result(adapter().attach(Devices.mqtt("keep-s", "hearth", null), LIGHT));
    result(adapter().attach(Devices.mqtt("gone-s", "hearth", null), LIGHT));

    // WHEN one is detached
    result(adapter().detach("gone-s"));

    // THEN the other is still heard, and the detached one no more
    DeviceClient device = device(null, null);
    device.publish("hearth/gone-s/state", "{\"brightness\":1}", false);
    device.publish("hearth/keep-s/state", "{\"brightness\":2}", false);
    await().atMost(Duration.ofSeconds(10)).until(() -> sink().lastStateWith("keep-s", "brightness") != null);
    assertEquals(List.of(), sink().states.stream().filter(s -> s.deviceId().equals("gone-s")).toList());
  }
}
