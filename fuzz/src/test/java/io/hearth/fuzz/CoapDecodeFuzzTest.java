package io.hearth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.coap.CoapConvention;
import io.hearth.adapter.coap.CoapConventions;
import io.hearth.adapter.coap.CoapPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the CoAP conventions' decoders: {@code decodeState} and {@code decodeEvent} of every
 * convention in {@link CoapConventions#names()}, with JSON, CBOR, no and other content-formats.
 * Invariant (docs/fuzzing.md): returns JSON-like values or throws {@link MalformedPayloadException},
 * nothing else.
 *
 * <p>Input layout ({@link Seed}): {@code <convention> <state|event> <content-format>\n<payload>};
 * an unknown convention or resource is picked from the fuzzed word, a content-format that is not a
 * number is one of 50 (JSON), 60 (CBOR), none (-1) or 0 (text/plain).
 */
class CoapDecodeFuzzTest {
  private static final List<String> NAMES = CoapConventions.names();
  private static final int[] FORMATS = {CoapPayloads.JSON, CoapPayloads.CBOR, CoapPayloads.NONE, 0};

  @FuzzTest(maxDuration = "15s")
  void decode(byte[] input) {
    Seed seed = Seed.of(input);
    String name = NAMES.contains(seed.word(0)) ? seed.word(0)
        : NAMES.get(Math.floorMod(seed.word(0).hashCode(), NAMES.size()));
    CoapConvention convention = CoapConventions.find(name).orElseThrow();
    boolean event = seed.word(1).equals("event")
        || !seed.word(1).equals("state") && (seed.word(1).hashCode() & 1) == 1;
    int format = format(seed.word(2));
    try {
      if (event) {
        Optional<DeviceEvent> e = convention.decodeEvent("lock", seed.payload(), format, Instant.EPOCH);
        if (e == null) {
          throw new AssertionError(name + " decodeEvent returned null on " + seed.describe());
        }
        e.ifPresent(ev -> {
          if (!"lock".equals(ev.deviceId()) || ev.name() == null || ev.name().isEmpty()) {
            throw new AssertionError(name + " decoded a bad event " + ev + " from " + seed.describe());
          }
          JsonLike.check("event." + ev.name(), ev.data());
        });
      } else {
        Map<String, Object> state = convention.decodeState(seed.payload(), format);
        if (state == null) {
          throw new AssertionError(name + " decodeState returned null on " + seed.describe());
        }
        JsonLike.check("state", state);
      }
    } catch (MalformedPayloadException expected) {
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(name + (event ? " decodeEvent" : " decodeState") + " (content-format " + format
          + ") threw " + e + " on " + seed.describe(), e);
    }
  }

  private static int format(String word) {
    try {
      return Integer.parseInt(word);
    } catch (NumberFormatException e) {
      return FORMATS[Math.floorMod(word.hashCode(), FORMATS.length)];
    }
  }
}
