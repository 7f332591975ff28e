package io.hearth.adapter.mqtt;

import java.util.regex.Pattern;

/**
 * A Zigbee2MQTT bridge: one MQTT client (one user name) serving many devices, declared once under
 * {@code bridges:} in devices.yaml or through {@code POST /bridges} (docs/devices.md, "Bridges").
 * Its devices name it in {@code binding.bridge}; their topics are {@code <baseTopic>/<friendly name>}.
 *
 * @param id          {@code [a-z0-9_-]{1,64}}
 * @param convention  {@code zigbee2mqtt} (the only bridge convention)
 * @param baseTopic   Zigbee2MQTT's {@code mqtt.base_topic}, e.g. {@code zigbee2mqtt}
 * @param credentials what the bridge logs in with on the embedded broker, or null (an external broker)
 * @param fromConfig  declared in devices.yaml (true) or registered through the API
 */
public record MqttBridge(String id, String convention, String baseTopic, MqttBinding.Credentials credentials,
    boolean fromConfig) {

  /** The only convention a bridge may have. */
  public static final String CONVENTION = Zigbee2MqttConvention.NAME;
  /** Zigbee2MQTT's default {@code mqtt.base_topic}. */
  public static final String DEFAULT_BASE_TOPIC = "zigbee2mqtt";
  private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");

  public MqttBridge {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("bridge id must be 1-64 characters of [a-z0-9_-]");
    }
    convention = convention == null ? CONVENTION : convention;
    if (!CONVENTION.equals(convention)) {
      throw new IllegalArgumentException("bridge convention must be " + CONVENTION);
    }
    baseTopic = baseTopic == null ? DEFAULT_BASE_TOPIC : baseTopic;
    if (!isValidBaseTopic(baseTopic)) {
      throw new IllegalArgumentException("bridge baseTopic must be 1-128 characters without wildcards or"
          + " leading/trailing /");
    }
  }

  /** True for a usable {@code baseTopic}: 1–128 characters, no wildcards, no {@code $}, no empty level. */
  public static boolean isValidBaseTopic(String t) {
    if (t == null || t.length() > 128) {
      return false;
    }
    try {
      Topics.checkStem(t);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A copy with other credentials (e.g. generated ones). */
  public MqttBridge withCredentials(MqttBinding.Credentials c) {
    return new MqttBridge(id, convention, baseTopic, c, fromConfig);
  }

  /** A copy marked as declared in devices.yaml or not. */
  public MqttBridge withFromConfig(boolean fromConfig) {
    return new MqttBridge(id, convention, baseTopic, credentials, fromConfig);
  }

  /** {@code <base>/bridge/state}: the bridge's will, JSON {@code {"state":"online"}} or legacy plain text. */
  public String stateTopic() {
    return baseTopic + "/bridge/state";
  }

  /** {@code <base>/bridge/devices}: the retained list of the devices the bridge knows. */
  public String devicesTopic() {
    return baseTopic + "/bridge/devices";
  }

  /** What the bridge's broker account may publish and subscribe: {@code <base>/#}. */
  public TopicPermissions permissions() {
    String all = baseTopic + "/#";
    return new TopicPermissions(java.util.List.of(all), java.util.List.of(all));
  }

  /** The account key of the bridge in {@link MqttAccounts} (never a valid device id). */
  public String accountId() {
    return "bridge:" + id;
  }
}
