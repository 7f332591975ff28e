package io.hearth.adapter.coap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Payload codecs of the CoAP conventions: JSON (content-format 50, or no content-format at all, as
 * libcoap's example server answers) and CBOR (60) inbound, JSON outbound. Inbound payloads are
 * parsed defensively ({@link JsonPayloads}' limits; the same limits for CBOR) and reduced to the
 * plain Java values of the device model.
 */
public final class CoapPayloads {

  /** {@code application/json}. */
  public static final int JSON = 50;
  /** {@code application/cbor}. */
  public static final int CBOR = 60;
  /** No Content-Format option on the message (Californium's {@code MediaTypeRegistry.UNDEFINED}). */
  public static final int NONE = -1;

  private static final CBORMapper CBOR_MAPPER = new CBORMapper(CBORFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16)
          .maxStringLength(16 * 1024)
          .maxNumberLength(64)
          .maxNameLength(256)
          .maxDocumentLength(JsonPayloads.MAX_PAYLOAD_BYTES)
          .build())
      .build());

  private CoapPayloads() {}

  /**
   * Decodes a payload that must be an object (JSON or CBOR by its content-format).
   *
   * @throws MalformedPayloadException on garbage, a non-object, or any other content-format
   */
  public static ObjectNode parseObject(byte[] payload, int contentFormat) {
    JsonNode node = switch (contentFormat) {
      case JSON, NONE -> JsonPayloads.parse(payload);
      case CBOR -> parseCbor(payload);
      default -> throw new MalformedPayloadException("unsupported content-format " + contentFormat
          + " (expected 50 application/json or 60 application/cbor)");
    };
    if (!(node instanceof ObjectNode o)) {
      throw new MalformedPayloadException("not an object");
    }
    return o;
  }

  /** The scalar members of an object payload as plain Java values (see {@link JsonPayloads#scalars}). */
  public static Map<String, Object> scalars(byte[] payload, int contentFormat) {
    return JsonPayloads.scalars(parseObject(payload, contentFormat));
  }

  /** The members of a reported state, for the profile check (see {@link JsonPayloads#reported}). */
  public static Map<String, Object> reported(byte[] payload, int contentFormat) {
    return JsonPayloads.reported(parseObject(payload, contentFormat));
  }

  /** Encodes a value tree as compact JSON (what the gateway sends, content-format 50). */
  public static byte[] json(Object value) {
    return JsonPayloads.encode(value);
  }

  /** A diagnostic payload as short printable text, for a command's error. */
  public static String diagnostic(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return "";
    }
    String s = new String(payload, 0, Math.min(payload.length, 200), StandardCharsets.UTF_8);
    return s.replaceAll("\\p{Cntrl}", " ").trim();
  }

  private static JsonNode parseCbor(byte[] payload) {
    JsonPayloads.checkSize(payload);
    if (payload.length == 0) {
      throw new MalformedPayloadException("empty payload");
    }
    try {
      JsonNode node = CBOR_MAPPER.readTree(payload);
      if (node == null || node.isMissingNode()) {
        throw new MalformedPayloadException("empty payload");
      }
      if (hasNoJsonEquivalent(node)) {
        throw new MalformedPayloadException("a CBOR byte string has no JSON equivalent");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedPayloadException("not valid CBOR: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedPayloadException("unreadable CBOR payload", e);
    }
  }

  /**
   * True if the tree holds a byte string (or another embedded value) anywhere: it would reach the
   * core as a {@code byte[]}, which no profile value or JSON answer can be (found by fuzzing,
   * docs/fuzzing.md). Depth is bounded by the parser's nesting limit.
   */
  private static boolean hasNoJsonEquivalent(JsonNode node) {
    if (node.isBinary() || node.isPojo()) {
      return true;
    }
    for (JsonNode child : node) {
      if (hasNoJsonEquivalent(child)) {
        return true;
      }
    }
    return false;
  }
}
