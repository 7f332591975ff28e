package io.hearth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the {@code tasmota} MQTT convention's decoder over every topic it subscribes (see
 * {@link MqttDecoding} for the invariant). Seeds: src/test/resources/io/hearth/fuzz/TasmotaDecodeFuzzTestInputs/decode/.
 */
class TasmotaDecodeFuzzTest {
  private static final MqttDecoding DECODING = new MqttDecoding("tasmota", "desk-plug", "light.dimmable", "tasmota_1A2B3C");

  @FuzzTest(maxDuration = "15s")
  void decode(byte[] input) {
    DECODING.decode(input);
  }
}
