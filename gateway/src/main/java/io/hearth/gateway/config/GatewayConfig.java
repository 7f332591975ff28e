package io.hearth.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The gateway's configuration ({@code config/gateway.yaml}), immutable and checked
 * at start by {@link ConfigLoader}. Each key, its default and its meaning are listed in
 * {@code docs/configuration.md}.
 */
public record GatewayConfig(
    Http http, Mqtt mqtt, Coap coap, Path dataDir, String pairingCode, Path profiles, Path devices, Commands commands,
    Discovery discovery, Availability availability, CommandFlow commandFlow) {

  public GatewayConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(coap, "coap");
    Objects.requireNonNull(dataDir, "data.dir");
    Objects.requireNonNull(profiles, "profiles");
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(commands, "commands");
    discovery = discovery == null ? Discovery.defaults() : discovery;
    availability = availability == null ? Availability.DEFAULTS : availability;
    commandFlow = commandFlow == null ? CommandFlow.DEFAULTS : commandFlow;
  }

  /** With the default {@code commands.*} flow keys ({@link CommandFlow}). */
  public GatewayConfig(Http http, Mqtt mqtt, Coap coap, Path dataDir, String pairingCode, Path profiles, Path devices,
      Commands commands, Discovery discovery, Availability availability) {
    this(http, mqtt, coap, dataDir, pairingCode, profiles, devices, commands, discovery, availability, null);
  }

  /** The same configuration with other command flow keys. */
  public GatewayConfig withCommandFlow(CommandFlow flow) {
    return new GatewayConfig(http, mqtt, coap, dataDir, pairingCode, profiles, devices, commands, discovery,
        availability, flow);
  }

  /** With the default {@code discovery.*} and {@code availability.*}. */
  public GatewayConfig(Http http, Mqtt mqtt, Coap coap, Path dataDir, String pairingCode, Path profiles, Path devices,
      Commands commands) {
    this(http, mqtt, coap, dataDir, pairingCode, profiles, devices, commands, Discovery.defaults(),
        Availability.DEFAULTS);
  }

  /** With the default {@code availability.*}. */
  public GatewayConfig(Http http, Mqtt mqtt, Coap coap, Path dataDir, String pairingCode, Path profiles, Path devices,
      Commands commands, Discovery discovery) {
    this(http, mqtt, coap, dataDir, pairingCode, profiles, devices, commands, discovery, Availability.DEFAULTS);
  }

  /**
   * {@code http.*}: where the app API listens.
   *
   * @param allowedOrigins browser origins allowed to open the WebSocket ({@code http.allowedOrigins});
   *                       empty: none, non-browser clients only
   */
  public record Http(String host, int port, Tls tls, int maxBodyBytes, java.util.List<String> allowedOrigins) {
    public Http {
      allowedOrigins = allowedOrigins == null ? java.util.List.of() : java.util.List.copyOf(allowedOrigins);
    }

    /** Without allowed origins. */
    public Http(String host, int port, Tls tls, int maxBodyBytes) {
      this(host, port, tls, maxBodyBytes, java.util.List.of());
    }
  }

  /** {@code http.tls.*}. */
  public record Tls(boolean enabled, String keyStore, String password) {
    @Override
    public String toString() {
      return "Tls[enabled=" + enabled + ", keyStore=" + keyStore + ", password=***]";
    }
  }

  /**
   * {@code mqtt.*}.
   *
   * @param embedded the broker inside the gateway
   * @param url      the broker the gateway's adapter talks to
   * @param username the gateway's own user on an external broker (null: none)
   * @param password its password
   * @param link     the gateway's MQTT link: keep-alive, connect timeout, session expiry
   */
  public record Mqtt(Embedded embedded, String url, String username, String password, Link link) {
    public Mqtt {
      link = link == null ? Link.DEFAULTS : link;
    }

    /** With the default link settings. */
    public Mqtt(Embedded embedded, String url, String username, String password) {
      this(embedded, url, username, password, null);
    }

    @Override
    public String toString() {
      return "Mqtt[embedded=" + embedded + ", url=" + url + ", username=" + username + ", password=***, link="
          + link + "]";
    }
  }

  /**
   * The gateway's own MQTT link ({@code mqtt.keepAliveSeconds}, {@code mqtt.connectTimeoutSeconds},
   * {@code mqtt.sessionExpirySeconds}); the bounds they give are in docs/operations.md.
   *
   * @param keepAliveSeconds      MQTT keep-alive; a broker that stops answering is declared down
   *                              within 1.5× this
   * @param connectTimeoutSeconds one connect attempt is abandoned after this plus 2 s
   * @param sessionExpirySeconds  how long the broker keeps the gateway's session over a gap (0: clean
   *                              start on every connect)
   */
  public record Link(int keepAliveSeconds, int connectTimeoutSeconds, long sessionExpirySeconds) {
    public static final Link DEFAULTS = new Link(30, 10, 600);
  }

  /** {@code mqtt.embedded.*}. */
  /**
   * The embedded broker ({@code mqtt.embedded.*}).
   *
   * @param persistent {@code persistence: file}: the broker keeps retained messages and offline
   *     sessions on disk across restarts; {@code memory} (default) keeps them in memory only
   */
  public record Embedded(boolean enabled, String host, int port, boolean allowAnonymous, boolean persistent) {
    /** With the default persistence ({@code memory}). */
    public Embedded(boolean enabled, String host, int port, boolean allowAnonymous) {
      this(enabled, host, port, allowAnonymous, false);
    }
  }

  /** {@code coap.*}: the gateway's own CoAP endpoint. */
  public record Coap(String host, int port) {}

  /**
   * {@code commands.*}.
   *
   * @param defaultTimeoutMs timeout of a command that names none
   * @param maxTimeoutMs     largest timeoutMs a client may ask for
   * @param availabilityGraceMs after start (or after a device is added), how long a device may stay
   *                         silent before it is marked offline with reason {@code restart}
   * @param wakeExpiryMs     how long a {@code deliverWhen: nextWake} command that names no
   *                         {@code expiresInMs} waits for its device
   * @param maxWakeExpiryMs  largest {@code expiresInMs} a client may ask for
   * @param maxWaitingPerDevice how many commands may wait for one device's next wake-up
   */
  public record Commands(int defaultTimeoutMs, int maxTimeoutMs, int availabilityGraceMs, int wakeExpiryMs,
      int maxWakeExpiryMs, int maxWaitingPerDevice) {
    /** 25 h: Zigbee2MQTT's passive (battery) availability timeout. */
    public static final int DEFAULT_WAKE_EXPIRY_MS = 25 * 3_600_000;
    /** 7 days: as long as finished commands are kept. */
    public static final int DEFAULT_MAX_WAKE_EXPIRY_MS = 7 * 24 * 3_600_000;
    public static final int DEFAULT_MAX_WAITING_PER_DEVICE = 16;

    /** With the default {@code deliverWhen: nextWake} limits. */
    public Commands(int defaultTimeoutMs, int maxTimeoutMs, int availabilityGraceMs) {
      this(defaultTimeoutMs, maxTimeoutMs, availabilityGraceMs, DEFAULT_WAKE_EXPIRY_MS, DEFAULT_MAX_WAKE_EXPIRY_MS,
          DEFAULT_MAX_WAITING_PER_DEVICE);
    }
  }

  /**
   * {@code discovery.*}.
   *
   * @param maxPending most devices pending approval held at once (all sources); later announcements
   *                   are not listed until some are approved or withdrawn
   */
  public record Discovery(int maxPending) {
    public static Discovery defaults() {
      return new Discovery(io.hearth.gateway.discovery.PendingDevices.DEFAULT_MAX_PENDING);
    }
  }

  /**
   * {@code availability.*}: how long a device whose availability the gateway judges by its silence
   * may stay silent, by power source (Zigbee2MQTT's {@code availability.active/passive.timeout}),
   * and how often silence is checked (docs/devices.md#availability-and-sleepy-devices).
   *
   * @param mainsTimeoutMin   minutes for a mains device
   * @param batteryTimeoutMin minutes for a battery device
   * @param checkIntervalMs   how often the gateway looks for devices silent past their timeout
   */
  public record Availability(int mainsTimeoutMin, int batteryTimeoutMin, int checkIntervalMs) {
    public static final Availability DEFAULTS = new Availability(10, 1500, 30_000);
  }

  /**
   * How commands flow ({@code commands.maxInFlightPerDevice}, {@code commands.sessionRatePerSecond},
   * {@code commands.sessionBurst}; docs/configuration.md, docs/api.md#pipelining-and-coalescing).
   *
   * @param maxInFlightPerDevice commands to one device sent and not yet ended at most; later ones
   *                             wait in order (and a waiting {@code set} may be superseded)
   * @param sessionRatePerSecond commands a session (one token, REST and WebSocket together) may
   *                             create per second, sustained
   * @param sessionBurst         commands a session may create at once before that rate applies
   */
  public record CommandFlow(int maxInFlightPerDevice, int sessionRatePerSecond, int sessionBurst) {
    public static final CommandFlow DEFAULTS = new CommandFlow(4, 20, 40);
  }
}
