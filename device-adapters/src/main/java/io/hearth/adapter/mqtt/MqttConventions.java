package io.hearth.adapter.mqtt;

import io.hearth.device.DeviceDefinition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The MQTT conventions Hearth speaks, by name: {@code hearth}, {@code tasmota}, {@code zigbee2mqtt}. */
public final class MqttConventions {

  private static final List<String> NAMES =
      List.of(HearthConvention.NAME, TasmotaConvention.NAME, Zigbee2MqttConvention.NAME);
  private static final Map<String, MqttConvention> BY_NAME = Map.of(
      HearthConvention.NAME, new HearthConvention(),
      TasmotaConvention.NAME, new TasmotaConvention(),
      Zigbee2MqttConvention.NAME, new Zigbee2MqttConvention());

  private MqttConventions() {}

  /** The names of every supported convention, the default ({@code hearth}) first. */
  public static List<String> names() {
    return NAMES;
  }

  /** The convention of that name (case-insensitive), if supported. */
  public static Optional<MqttConvention> find(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The convention of that name.
   *
   * @throws IllegalArgumentException if no such MQTT convention exists
   */
  public static MqttConvention forName(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(
        "unknown MQTT convention '" + name + "' (known: " + String.join(", ", new java.util.TreeSet<>(names())) + ")"));
  }

  /** The convention a device is bound with. */
  public static MqttConvention forDevice(DeviceDefinition device) {
    Objects.requireNonNull(device, "device");
    return forName(device.binding().convention());
  }

  /**
   * What the broker must let this device publish and subscribe: the topics of its own convention
   * and nothing else.
   *
   * @throws IllegalArgumentException for a device whose convention is not an MQTT one or whose
   *     topic stem is invalid
   */
  public static TopicPermissions permissionsFor(DeviceDefinition device) {
    return forDevice(device).permissions(device);
  }
}
