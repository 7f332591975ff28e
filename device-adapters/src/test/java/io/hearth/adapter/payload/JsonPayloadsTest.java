package io.hearth.adapter.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JsonPayloadsTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void numbersBecomeLongWhenIntegralElseDouble() {
    Map<String, Object> v = JsonPayloads.scalars(JsonPayloads.parseObject(
        utf8("{\"i\":7,\"f\":7.25,\"w\":7.0,\"neg\":-3,\"big\":123456789012345678901234567890,\"b\":false,\"s\":\"x\"}")));
    assertEquals(7L, v.get("i"));
    assertEquals(7.25, v.get("f"));
    assertEquals(7L, v.get("w"));
    assertEquals(-3L, v.get("neg"));
    assertEquals(1.2345678901234568E29, v.get("big"));
    assertEquals(false, v.get("b"));
    assertEquals("x", v.get("s"));
  }

  @Test
  void reportedKeepsWhatNoProfileValueCanBeSoTheCheckCountsIt() {
    String json = "{\"inf\":1e400,\"arr\":[1,2],\"obj\":{\"a\":1},\"nul\":null,\"i\":3}";
    Map<String, Object> v = JsonPayloads.reported(JsonPayloads.parseObject(utf8(json)));
    assertEquals(Double.POSITIVE_INFINITY, v.get("inf"));
    assertEquals(java.util.List.of(1, 2), v.get("arr"));
    assertEquals(Map.of("a", 1), v.get("obj"));
    assertEquals(3L, v.get("i"));
    assertEquals(java.util.Set.of("inf", "arr", "obj", "i"), v.keySet());
    // scalars (replies, outputs) still leaves them out
    assertEquals(Map.of("i", 3L), JsonPayloads.scalars(JsonPayloads.parseObject(utf8(json))));
  }

  @Test
  void tooLargeIsRejectedBeforeParsing() {
    byte[] huge = new byte[JsonPayloads.MAX_PAYLOAD_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> JsonPayloads.parseObject(huge));
    assertEquals("payload too large (262145 bytes)", e.getMessage());
    assertThrows(MalformedPayloadException.class, () -> JsonPayloads.text(huge));
  }

  @Test
  void tightConstraintsRejectDeepNestingLongStringsAndNumbers() {
    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    assertThrows(MalformedPayloadException.class, () -> JsonPayloads.parseObject(utf8(deep)));
    String longString = "{\"a\":\"" + "x".repeat(20_000) + "\"}";
    assertThrows(MalformedPayloadException.class, () -> JsonPayloads.parseObject(utf8(longString)));
    String longNumber = "{\"a\":" + "9".repeat(200) + "}";
    assertThrows(MalformedPayloadException.class, () -> JsonPayloads.parseObject(utf8(longNumber)));
    assertThrows(MalformedPayloadException.class, () -> JsonPayloads.parseObject(utf8("{\"a\":NaN}")));
    assertThrows(MalformedPayloadException.class, () -> JsonPayloads.parseObject(new byte[] {(byte) 0xff, 0x00, 0x12}));
  }

  @Test
  void nonScalarsAreNotValues() {
    assertNull(JsonPayloads.toJava(JsonPayloads.parse(utf8("[1]"))));
    assertNull(JsonPayloads.toJava(JsonPayloads.parse(utf8("null"))));
  }
}
