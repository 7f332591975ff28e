package io.hearth.adapter.coap;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One confirmable request a convention wants sent for a command.
 *
 * @param method  {@code PUT} or {@code POST}
 * @param path    Uri-Path segments (each sent as one option, never split again)
 * @param payload body, JSON (content-format 50)
 */
public record CoapRequestSpec(Method method, List<String> path, byte[] payload) {

  /** The methods the conventions use for commands. */
  public enum Method { PUT, POST }

  public CoapRequestSpec {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(payload, "payload");
    path = List.copyOf(path);
  }

  /** The path as {@code /a/b}. */
  public String pathString() {
    return "/" + String.join("/", path);
  }

  /** The payload as UTF-8 text (for logs and tests). */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CoapRequestSpec other && method == other.method && path.equals(other.path)
        && java.util.Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path) * 31 + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "CoapRequestSpec[" + method + " " + pathString() + " " + payloadText() + "]";
  }
}
