package io.hearth.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A fuzz input in the layout of the checked-in seeds: one header line (what to call, e.g. the MQTT
 * topic and flags) and the payload bytes after the first {@code \n}, untouched. Seeds stay readable
 * files (a real topic and a real device payload) while the fuzzer mutates both parts.
 */
record Seed(List<String> header, byte[] payload) {

  static Seed of(byte[] input) {
    int nl = 0;
    while (nl < input.length && input[nl] != '\n') {
      nl++;
    }
    String head = new String(input, 0, nl, StandardCharsets.UTF_8).trim();
    byte[] payload = nl < input.length ? Arrays.copyOfRange(input, nl + 1, input.length) : new byte[0];
    return new Seed(head.isEmpty() ? List.of() : List.of(head.split("\\s+")), payload);
  }

  /** A word of the header, or "" when there is none. */
  String word(int index) {
    return index < header.size() ? header.get(index) : "";
  }

  /** The value of a {@code name=value} word of the header, or null. */
  String value(String name) {
    for (String w : header) {
      if (w.startsWith(name + "=")) {
        return w.substring(name.length() + 1);
      }
    }
    return null;
  }

  boolean flag(String name) {
    return header.contains(name);
  }

  /** A short printable form for failure messages. */
  String describe() {
    String text = new String(payload, 0, Math.min(payload.length, 300), StandardCharsets.UTF_8);
    return header + " " + text.replaceAll("\\p{Cntrl}", "·") + (payload.length > 300 ? "…(" + payload.length + " bytes)" : "");
  }
}
