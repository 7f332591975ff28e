package io.hearth.adapter.coap;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A device's DTLS pre-shared key, from {@code binding.psk: {identity: "…", key: "…"}}. The key is
 * UTF-8 text, or bytes written {@code hex:00a1…} or {@code base64:…}. Never logged.
 *
 * @param identity the PSK identity the gateway presents (UTF-8)
 * @param key      the key bytes
 */
public record PskCredentials(String identity, byte[] key) {

  /** The binding key holding the PSK (kept in {@link CoapBinding#extra()}). */
  public static final String BINDING_KEY = "psk";

  public PskCredentials {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(key, "key");
    if (identity.isEmpty() || identity.getBytes(StandardCharsets.UTF_8).length > 128) {
      throw new IllegalArgumentException("binding.psk.identity must be 1-128 bytes");
    }
    if (key.length == 0 || key.length > 64) {
      throw new IllegalArgumentException("binding.psk.key must be 1-64 bytes");
    }
    key = key.clone();
  }

  /**
   * The PSK of a binding, or empty when it has none.
   *
   * @throws IllegalArgumentException if {@code psk} is there but malformed (the message names the key,
   *     never the secret)
   */
  public static Optional<PskCredentials> of(CoapBinding binding) {
    Object psk = binding.extra().get(BINDING_KEY);
    if (psk == null) {
      return Optional.empty();
    }
    if (!(psk instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("binding.psk must be {identity, key}");
    }
    if (!(m.get("identity") instanceof String identity)) {
      throw new IllegalArgumentException("binding.psk.identity must be a string");
    }
    if (!(m.get("key") instanceof String key)) {
      throw new IllegalArgumentException("binding.psk.key must be a string");
    }
    return Optional.of(new PskCredentials(identity, decodeKey(key)));
  }

  /** Decodes {@code hex:…}, {@code base64:…} or plain UTF-8 text. */
  public static byte[] decodeKey(String key) {
    try {
      if (key.startsWith("hex:")) {
        return HexFormat.of().parseHex(key.substring(4));
      }
      if (key.startsWith("base64:")) {
        return Base64.getDecoder().decode(key.substring(7));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("binding.psk.key is not valid " + (key.startsWith("hex:") ? "hex" : "base64"));
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }

  public byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PskCredentials p && identity.equals(p.identity) && java.util.Arrays.equals(key, p.key);
  }

  @Override
  public int hashCode() {
    return identity.hashCode();
  }

  @Override
  public String toString() {
    return "PskCredentials[identity=" + identity + ", key=***]";
  }
}
