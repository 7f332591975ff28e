package io.hearth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the {@code zigbee2mqtt} MQTT convention's decoder over every topic it subscribes (see
 * {@link MqttDecoding} for the invariant). Seeds: src/test/resources/io/hearth/fuzz/Zigbee2MqttDecodeFuzzTestInputs/decode/.
 */
class Zigbee2MqttDecodeFuzzTest {
  private static final MqttDecoding DECODING = new MqttDecoding("zigbee2mqtt", "hall-light", "light.dimmable", "hall_light");

  @FuzzTest(maxDuration = "15s")
  void decode(byte[] input) {
    DECODING.decode(input);
  }
}
