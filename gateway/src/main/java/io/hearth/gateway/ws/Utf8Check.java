package io.hearth.gateway.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Assembles a client's text messages from their frames and checks that each is valid UTF-8, as
 * RFC 6455 §8.1 requires (else the connection is closed with 1007): Vert.x's own text handler
 * would be handed a string with replacement characters instead. Frames of one message are
 * decoded together when its last frame arrives; a message over {@code maxBytes} is not assembled
 * (Vert.x closes the connection with 1009 for it).
 */
final class Utf8Check {
  private final int maxBytes;
  private Buffer pending; // text of a fragmented message so far
  private boolean tooBig;
  private boolean failed;

  Utf8Check(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Takes one frame; returns the text of the message it completes, or null (not a text frame, not
   * the last one, or invalid: then {@link #failed()}).
   */
  String accept(WebSocketFrame frame) {
    if (failed) {
      return null;
    }
    if (frame.isText()) {
      tooBig = false;
      if (frame.isFinal()) {
        pending = null;
        return decode(frame.binaryData());
      }
      pending = frame.binaryData().copy();
      return null;
    }
    if (frame.isContinuation() && pending != null) {
      if (!tooBig) {
        pending.appendBuffer(frame.binaryData());
        tooBig = pending.length() > maxBytes;
      }
      if (frame.isFinal()) {
        Buffer whole = pending;
        pending = null;
        return tooBig ? null : decode(whole);
      }
      return null;
    }
    if (frame.isBinary()) {
      pending = null;
    }
    return null;
  }

  /** True once a text message was not valid UTF-8. */
  boolean failed() {
    return failed;
  }

  private String decode(Buffer text) {
    if (text.length() > maxBytes) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(text.getBytes())).toString();
    } catch (CharacterCodingException e) {
      failed = true;
      return null;
    }
  }
}
