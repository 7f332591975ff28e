package io.hearth.adapter.mqtt;

import io.hearth.adapter.BindingException;
import io.hearth.adapter.BindingInput;
import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.Supports;
import io.hearth.adapter.Transport;
import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * MQTT as a {@link Transport}: {@link MqttBinding} ({@code topic}, {@code credentials}, {@code bridge}), the
 * conventions of {@link MqttConventions}, generated broker credentials for devices registered
 * without any, the Zigbee2MQTT {@link MqttBridges bridges} and their broker accounts, and
 * {@link MqttDeviceAdapter}. Keys and checks are documented in docs/devices.md.
 */
public final class MqttTransport implements Transport {
  private static final String TOPIC = "topic";
  private static final String CREDENTIALS = "credentials";
  private static final String BRIDGE = "bridge";

  private final MqttAccounts accounts;
  private final Supplier<MqttAdapterOptions> options;
  private final MqttBridges bridges = new MqttBridges();
  private final boolean sharedSubscriptions;

  /**
   * @param accounts the broker's device accounts (kept in step with the registered devices)
   * @param options  how the adapter connects; read when the adapter is created (an embedded
   *                 broker's address is known only once it has started)
   */
  public MqttTransport(MqttAccounts accounts, Supplier<MqttAdapterOptions> options) {
    this(accounts, options, false);
  }

  /**
   * @param sharedSubscriptions the adapter holds one wildcard filter per convention topic instead of
   *                            each device's own (docs/conventions-mqtt.md, "Subscriptions"): for a
   *                            broker that delivers a message once to a client however many of its
   *                            subscriptions match (the embedded HiveMQ)
   */
  public MqttTransport(MqttAccounts accounts, Supplier<MqttAdapterOptions> options, boolean sharedSubscriptions) {
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.options = Objects.requireNonNull(options, "options");
    this.sharedSubscriptions = sharedSubscriptions;
  }

  @Override
  public String protocol() {
    return MqttBinding.PROTOCOL;
  }

  @Override
  public List<String> conventions() {
    return MqttConventions.names();
  }

  @Override
  public Set<String> keys() {
    return Set.of(TOPIC, CREDENTIALS, BRIDGE);
  }

  /** The Zigbee2MQTT bridges devices may name in {@code binding.bridge}. */
  public MqttBridges bridges() {
    return bridges;
  }

  /**
   * Makes a bridge known (or replaces it) and admits its broker account ({@code <base>/#}). Call
   * before any device behind it is parsed or read back.
   */
  public void addBridge(MqttBridge bridge) {
    bridges.find(bridge.id()).filter(old -> old.credentials() != null)
        .ifPresent(old -> accounts.revoke(old.accountId(), old.credentials().username()));
    bridges.put(bridge);
    if (bridge.credentials() != null) {
      accounts.admit(bridge.accountId(), bridge.credentials(), bridge.permissions());
    }
  }

  /** Forgets a bridge and revokes its account. */
  public void removeBridge(String id) {
    bridges.remove(id).filter(b -> b.credentials() != null)
        .ifPresent(b -> accounts.revoke(b.accountId(), b.credentials().username()));
  }

  /**
   * A bridge registered through the API without credentials gets a user name (its id) and a
   * random password, shown once.
   *
   * @throws BindingException if the user name is already used ({@code credentials.username})
   */
  public MqttBridge prepareBridge(MqttBridge bridge) {
    MqttBridge b = bridge.credentials() == null
        ? bridge.withCredentials(new MqttBinding.Credentials(bridge.id(), accounts.newPassword())) : bridge;
    if (accounts.usernameTaken(b.credentials().username())) {
      throw new BindingException(CREDENTIALS + ".username", "is already used by another client");
    }
    return b;
  }

  @Override
  public Binding parse(BindingInput in) {
    String topic = in.text(TOPIC);
    if (topic != null && (topic.isEmpty() || topic.length() > 128 || topic.contains("+") || topic.contains("#")
        || topic.startsWith("/") || topic.endsWith("/"))) {
      in.error(TOPIC, "must be 1-128 characters without wildcards or leading/trailing /");
    }
    MqttBinding.Credentials credentials = null;
    var c = in.node(CREDENTIALS);
    if (c != null) {
      String user = c.isObject() && c.hasNonNull("username") && !c.get("username").isContainerNode()
          ? c.get("username").asText() : null;
      String pass = c.isObject() && c.hasNonNull("password") && !c.get("password").isContainerNode()
          ? c.get("password").asText() : null;
      if (user == null || user.isEmpty() || user.length() > 128 || pass == null || pass.length() < 8
          || pass.length() > 256) {
        in.error(CREDENTIALS, "must have a username (1-128 characters) and a password (8-256 characters)");
      } else {
        credentials = new MqttBinding.Credentials(user, pass);
      }
    }
    if (topic == null && !HearthConvention.NAME.equals(in.convention())) {
      topic = in.deviceId(); // tasmota and zigbee2mqtt name their topics after the device
    }
    String bridgeId = in.text(BRIDGE);
    String baseTopic = null;
    if (in.node(BRIDGE) != null) {
      MqttBridge bridge = bridgeId == null ? null : bridges.find(bridgeId).orElse(null);
      if (!Zigbee2MqttConvention.NAME.equals(in.convention())) {
        in.error(BRIDGE, "only a zigbee2mqtt device is behind a bridge");
      } else if (bridge == null) {
        in.error(BRIDGE, "unknown bridge '" + bridgeId + "' (declare it under bridges: or POST /bridges)");
      } else if (credentials != null) {
        in.error(CREDENTIALS, "a device behind a bridge has none: the bridge logs in with its own");
      } else {
        baseTopic = bridge.baseTopic();
      }
    }
    return new MqttBinding(in.convention(), topic, credentials, baseTopic == null ? null : bridgeId, baseTopic);
  }

  @Override
  public Map<String, Object> toStored(Binding binding) {
    MqttBinding b = (MqttBinding) binding;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(TOPIC, b.topic());
    if (b.bridge() != null) {
      out.put(BRIDGE, b.bridge());
    }
    if (b.credentials() != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("username", b.credentials().username());
      c.put("password", b.credentials().password());
      out.put(CREDENTIALS, c);
    }
    return out;
  }

  @Override
  public Binding fromStored(String convention, Map<String, Object> stored) {
    MqttBinding.Credentials credentials = null;
    if (stored.get(CREDENTIALS) instanceof Map<?, ?> c) {
      credentials = new MqttBinding.Credentials(String.valueOf(c.get("username")), String.valueOf(c.get("password")));
    }
    Object topic = stored.get(TOPIC);
    Object bridgeId = stored.get(BRIDGE);
    if (bridgeId == null) {
      return new MqttBinding(convention, topic == null ? null : topic.toString(), credentials);
    }
    // a bridge gone since (removed from devices.yaml) leaves the device readable but not attachable
    String baseTopic = bridges.find(bridgeId.toString()).map(MqttBridge::baseTopic).orElse(null);
    return new MqttBinding(convention, topic == null ? null : topic.toString(), credentials, bridgeId.toString(),
        baseTopic);
  }

  /** Gives a device registered without credentials a user name (its id) and a random password. */
  @Override
  public NewDevice prepare(DeviceDefinition device) {
    MqttBinding b = MqttBinding.of(device);
    Map<String, Object> shownOnce = Map.of();
    if (b.bridge() != null) {
      return new NewDevice(device, shownOnce); // the bridge logs in, not the device
    }
    if (b.credentials() == null) {
      b = b.withCredentials(new MqttBinding.Credentials(device.id(), accounts.newPassword()));
      // shown once, in the answer to the registration, and never listed again
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("username", b.credentials().username());
      c.put("password", b.credentials().password());
      shownOnce = Map.of(CREDENTIALS, c);
    }
    if (accounts.usernameTaken(b.credentials().username())) {
      throw new BindingException(CREDENTIALS + ".username", "is already used by another client");
    }
    return new NewDevice(device.withBinding(b), shownOnce);
  }

  @Override
  public void deviceRegistered(DeviceDefinition device) {
    MqttBinding.Credentials c = MqttBinding.of(device).credentials();
    if (c != null) {
      accounts.admit(device.id(), c, permissions(device));
    }
  }

  @Override
  public void deviceRemoved(DeviceDefinition device) {
    MqttBinding.Credentials c = MqttBinding.of(device).credentials();
    if (c != null) {
      accounts.revoke(device.id(), c.username());
    }
  }

  /**
   * What the broker must let this device publish and subscribe: its convention's topics and
   * nothing else.
   *
   * @throws IllegalArgumentException if the device is not an MQTT one or its topic stem is invalid
   */
  public TopicPermissions permissions(DeviceDefinition device) {
    return MqttConventions.permissionsFor(device);
  }

  /** What the device's convention carries for its profile (docs/conventions-mqtt.md). */
  @Override
  public Supports supports(DeviceDefinition device, Profile profile) {
    return MqttConventions.find(device.binding().convention()).map(c -> c.supports(device, profile))
        .orElseGet(() -> Supports.all(profile));
  }

  @Override
  public DeviceAdapter newAdapter(Context context) {
    return new MqttDeviceAdapter(context, options.get(), bridges, sharedSubscriptions);
  }
}
