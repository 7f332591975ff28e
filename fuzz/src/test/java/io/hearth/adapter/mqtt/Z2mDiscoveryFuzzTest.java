package io.hearth.adapter.mqtt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import io.hearth.fuzz.JsonLike;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Fuzzes the parser of a Zigbee2MQTT bridge's retained {@code <base>/bridge/devices} list
 * (docs/conventions-mqtt.md, "Discovery from a bridge"): {@code Z2mDiscovery.parse},
 * package-private, hence this package. The whole input is the payload. Invariant
 * (docs/fuzzing.md): a list of {@link Discovered} entries with a non-empty key, a valid suggested
 * device id and JSON-like binding and details, or {@link MalformedPayloadException}; nothing else.
 */
class Z2mDiscoveryFuzzTest {
  private static final MqttBridge HUB = new MqttBridge("hub", null, "z2m", null, false);

  @FuzzTest(maxDuration = "15s")
  void parse(byte[] payload) {
    List<Discovered> found;
    try {
      found = Z2mDiscovery.parse(HUB, payload, Instant.EPOCH);
    } catch (MalformedPayloadException expected) {
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("parse threw " + e + " on " + show(payload), e);
    }
    if (found == null) {
      throw new AssertionError("parse returned null on " + show(payload));
    }
    for (Discovered d : found) {
      if (d.key().isEmpty() || !DeviceDefinition.isValidId(d.suggestedId())) {
        throw new AssertionError("unusable entry " + d + " from " + show(payload));
      }
      JsonLike.check("binding", d.binding());
      JsonLike.check("details", d.details());
    }
  }

  private static String show(byte[] payload) {
    String s = new String(payload, 0, Math.min(payload.length, 300), StandardCharsets.UTF_8);
    return "[" + s.replaceAll("\\p{Cntrl}", "·") + (payload.length > 300 ? "…(" + payload.length + " bytes)" : "") + "]";
  }
}
