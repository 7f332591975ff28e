package io.hearth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the {@code hearth} MQTT convention's decoder over every topic it subscribes (see
 * {@link MqttDecoding} for the invariant). Seeds: src/test/resources/io/hearth/fuzz/HearthDecodeFuzzTestInputs/decode/.
 */
class HearthDecodeFuzzTest {
  private static final MqttDecoding DECODING = new MqttDecoding("hearth", "living-lamp", "light.dimmable", null);

  @FuzzTest(maxDuration = "15s")
  void decode(byte[] input) {
    DECODING.decode(input);
  }
}
