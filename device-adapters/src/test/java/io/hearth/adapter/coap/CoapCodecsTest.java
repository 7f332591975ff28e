package io.hearth.adapter.coap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CoAP conventions' codecs, PSK parsing and transmission arithmetic: no network. */
class CoapCodecsTest {
  static final HearthCoapConvention HEARTH = new HearthCoapConvention();
  static final GenericCoapConvention GENERIC = new GenericCoapConvention();

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static DeviceDefinition generic(String state, String write) {
    return new DeviceDefinition("g", null, null, "light.dimmable",
        new CoapBinding("generic", "coap://127.0.0.1:5683", state, write, Map.of()));
  }

  static DeviceCommand set(Map<String, Object> values) {
    return new DeviceCommand("c", "g", values, null, null, Instant.now().plusSeconds(5));
  }

  @Test
  void jsonWithOrWithoutContentFormatAndCborDecode() throws Exception {
    assertEquals(Map.of("power", true, "brightness", 40L),
        HEARTH.decodeState(utf8("{\"power\":true,\"brightness\":40}"), CoapPayloads.JSON));
    // an array is kept for the profile check to refuse and count; null is left out
    assertEquals(Map.of("temp", 21.5, "y", List.of(1)),
        HEARTH.decodeState(utf8("{\"temp\":21.5,\"x\":null,\"y\":[1]}"), CoapPayloads.NONE));
    byte[] cbor = new CBORMapper().writeValueAsBytes(Map.of("power", false, "mode", "heat", "t", 3));
    assertEquals(Map.of("power", false, "mode", "heat", "t", 3L), HEARTH.decodeState(cbor, CoapPayloads.CBOR));
  }

  @Test
  void garbageWrongContentFormatAndNonObjectsAreMalformed() {
    assertThrows(MalformedPayloadException.class, () -> HEARTH.decodeState(utf8("{nope"), CoapPayloads.JSON));
    assertThrows(MalformedPayloadException.class, () -> HEARTH.decodeState(utf8("[1,2]"), CoapPayloads.JSON));
    assertThrows(MalformedPayloadException.class, () -> HEARTH.decodeState(utf8("{\"a\":1}"), 0));
    assertThrows(MalformedPayloadException.class, () -> HEARTH.decodeState(utf8("{\"a\":1}"), 40));
    assertThrows(MalformedPayloadException.class, () -> HEARTH.decodeState(new byte[] {(byte) 0xff, 1}, CoapPayloads.CBOR));
    assertThrows(MalformedPayloadException.class, () -> HEARTH.decodeState(new byte[0], CoapPayloads.JSON));
    assertThrows(MalformedPayloadException.class,
        () -> HEARTH.decodeState(new byte[300 * 1024], CoapPayloads.CBOR));
  }

  @Test
  void hearthEncodesPutStateAndPostAction() {
    DeviceDefinition d = CoapDeviceAdapterTest.hearth("lamp", "coap://127.0.0.1:5683");
    CoapRequestSpec put = HEARTH.encode(d, set(Map.of("brightness", 60L)), Map.of("power", true));
    assertEquals(CoapRequestSpec.Method.PUT, put.method());
    assertEquals("/state", put.pathString());
    assertEquals("{\"brightness\":60}", put.payloadText());
    CoapRequestSpec post = HEARTH.encode(d, new DeviceCommand("c", "lamp", null, "blink", Map.of("times", 2L),
        Instant.now().plusSeconds(5)), Map.of());
    assertEquals(CoapRequestSpec.Method.POST, post.method());
    assertEquals(List.of("actions", "blink"), post.path());
    assertEquals("{\"times\":2}", post.payloadText());
    assertEquals("{}", HEARTH.encode(d, new DeviceCommand("c", "lamp", null, "open", null,
        Instant.now().plusSeconds(5)), Map.of()).payloadText());
    assertThrows(IllegalArgumentException.class, () -> HEARTH.encode(d, new DeviceCommand("c", "lamp", null, "a/b",
        null, Instant.now().plusSeconds(5)), Map.of()));
  }

  @Test
  void hearthDecodesEvents() {
    var e = HEARTH.decodeEvent("lock", utf8("{\"name\":\"jammed\",\"data\":{\"code\":3}}"), CoapPayloads.JSON,
        Instant.EPOCH).orElseThrow();
    assertEquals("jammed", e.name());
    assertEquals(Map.of("code", 3L), e.data());
    assertTrue(HEARTH.decodeEvent("lock", new byte[0], CoapPayloads.JSON, Instant.EPOCH).isEmpty());
    assertThrows(MalformedPayloadException.class,
        () -> HEARTH.decodeEvent("lock", utf8("{\"data\":{}}"), CoapPayloads.JSON, Instant.EPOCH));
    assertThrows(MalformedPayloadException.class,
        () -> HEARTH.decodeEvent("lock", utf8("{\"name\":\"x\",\"data\":5}"), CoapPayloads.JSON, Instant.EPOCH));
  }

  @Test
  void genericReplacePutsTheMergedStateAndPatchOnlyChanges() {
    Map<String, Object> known = new LinkedHashMap<>();
    known.put("power", true);
    known.put("brightness", 10L);
    CoapRequestSpec replace = GENERIC.encode(generic("/light/0", "replace"), set(Map.of("brightness", 60L)), known);
    assertEquals(List.of("light", "0"), replace.path());
    assertEquals("{\"power\":true,\"brightness\":60}", replace.payloadText());
    CoapRequestSpec patch = GENERIC.encode(generic("/state", "patch"), set(Map.of("brightness", 60L)), known);
    assertEquals("{\"brightness\":60}", patch.payloadText());
    assertThrows(IllegalArgumentException.class, () -> GENERIC.encode(generic("/state", "patch"),
        new DeviceCommand("c", "g", null, "blink", null, Instant.now().plusSeconds(5)), known));
    assertTrue(GENERIC.eventsPath(generic("/state", "patch")).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> GENERIC.statePath(generic("/", "patch")));
  }

  @Test
  void pskFromTheBinding() {
    PskCredentials text = PskCredentials.of(psk(Map.of("identity", "lamp-1", "key", "secret"))).orElseThrow();
    assertEquals("lamp-1", text.identity());
    assertArrayEquals(utf8("secret"), text.key());
    assertArrayEquals(new byte[] {0x01, (byte) 0xab}, PskCredentials.of(psk(Map.of("identity", "i", "key", "hex:01ab")))
        .orElseThrow().key());
    assertArrayEquals(utf8("hi"), PskCredentials.of(psk(Map.of("identity", "i", "key", "base64:aGk="))).orElseThrow().key());
    assertTrue(PskCredentials.of(psk(null)).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> PskCredentials.of(psk(Map.of("identity", "i"))));
    assertThrows(IllegalArgumentException.class, () -> PskCredentials.of(psk(Map.of("identity", "i", "key", "hex:zz"))));
    assertThrows(IllegalArgumentException.class, () -> PskCredentials.of(psk(Map.of("identity", "", "key", "k"))));
    assertFalse(text.toString().contains("secret"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PskCredentials.of(psk(Map.of("identity", "i", "key", "base64:!!secret!!"))));
    assertFalse(e.getMessage().contains("secret"));
  }

  static CoapBinding psk(Map<String, Object> psk) {
    return new CoapBinding("generic", "coaps://127.0.0.1:5684", "/state", "patch",
        psk == null ? Map.of() : Map.of("psk", psk));
  }

  @Test
  void transmissionSpanFollowsRfc7252() {
    CoapAdapterOptions d = CoapAdapterOptions.defaults();
    assertEquals(Duration.ofSeconds(45), d.maxTransmitSpan());
    assertEquals(Duration.ofSeconds(93), d.maxTransmitWait());
    assertThrows(IllegalArgumentException.class, () -> d.withTransmission(Duration.ofMillis(100), 0.5, 4));
  }

  @Test
  void observeOrderingFollowsRfc7641() {
    assertTrue(Observation.fresh(1, 2, 0));
    assertFalse(Observation.fresh(2, 2, 0));
    assertFalse(Observation.fresh(5, 3, 0));
    assertTrue(Observation.fresh((1 << 24) - 1, 1, 0)); // wrapped
    assertTrue(Observation.fresh(5, 3, 129_000_000_000L)); // older than 128 s: a fresh start
  }
}
