package io.hearth.adapter.mqtt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import io.hearth.fuzz.JsonLike;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Fuzzes the parser of Tasmota's retained discovery document ({@code tasmota/discovery/<MAC>/config},
 * docs/discovery.md): {@code TasmotaDiscovery.parse}, package-private, hence this package. Input
 * layout: the topic's MAC level, a newline, the payload (non-empty: an empty one is a withdrawal
 * and never parsed). Invariant (docs/fuzzing.md): a {@link Discovered} whose binding is a tasmota
 * binding with a usable topic and whose values are JSON-like, or {@link MalformedPayloadException};
 * nothing else.
 */
class TasmotaDiscoveryFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void parse(byte[] input) {
    int nl = 0;
    while (nl < input.length && input[nl] != '\n') {
      nl++;
    }
    String mac = new String(input, 0, nl, StandardCharsets.UTF_8);
    if (mac.isEmpty() || mac.contains("/") || mac.contains("+") || mac.contains("#")) {
      mac = "BCDDC2A1B2C3"; // what the adapter's subscription can deliver: one non-empty level
    }
    byte[] payload = nl < input.length ? Arrays.copyOfRange(input, nl + 1, input.length) : new byte[0];
    if (payload.length == 0) {
      return;
    }
    Discovered d;
    try {
      d = TasmotaDiscovery.parse(mac, payload, Instant.EPOCH);
    } catch (MalformedPayloadException expected) {
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("parse threw " + e + " on " + mac + " " + show(payload), e);
    }
    // Discovered promises a valid device id (the fallback "tasmota-<topic MAC>" was once longer than
    // 64 characters: seed found-long-mac-fallback)
    if (d == null || d.key().isEmpty() || !DeviceDefinition.isValidId(d.suggestedId()) || d.name() == null) {
      throw new AssertionError("parse returned " + d + " on " + show(payload));
    }
    Object topic = d.binding().get("topic");
    if (!"tasmota".equals(d.binding().get("convention")) || !(topic instanceof String t) || t.isEmpty()
        || t.contains("/")) {
      throw new AssertionError("unusable binding " + d.binding() + " from " + show(payload));
    }
    JsonLike.check("binding", d.binding());
    JsonLike.check("details", d.details());
  }

  private static String show(byte[] payload) {
    String s = new String(payload, 0, Math.min(payload.length, 300), StandardCharsets.UTF_8);
    return "[" + s.replaceAll("\\p{Cntrl}", "·") + (payload.length > 300 ? "…(" + payload.length + " bytes)" : "") + "]";
  }
}
