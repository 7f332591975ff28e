package io.hearth.gateway.config;

import io.hearth.gateway.store.Durability;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The gateway's configuration ({@code config/gateway.yaml}), immutable and checked
 * at start by {@link ConfigLoader}. Each key, its default and its meaning are listed in
 * {@code docs/configuration.md}. {@code profiles} (a folder adding to the built-in profiles) and
 * {@code devices} (the devices file) are null when not configured.
 */
public record GatewayConfig(
    Http http, Mqtt mqtt, Coap coap, Path dataDir, String pairingCode, Path profiles, Path devices, Commands commands,
    Discovery discovery, Availability availability, Recovery recovery, HomeAssistant homeAssistant, Backup backup,
    Durability durability, Limits limits, CommandFlow commandFlow, Relay relay,
    AutomationConfig automations, HistoryConfig history) {

  public GatewayConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(coap, "coap");
    Objects.requireNonNull(dataDir, "data.dir");
    Objects.requireNonNull(commands, "commands");
    discovery = discovery == null ? Discovery.defaults() : discovery;
    availability = availability == null ? Availability.DEFAULTS : availability;
    recovery = recovery == null ? Recovery.DEFAULTS : recovery;
    homeAssistant = homeAssistant == null ? HomeAssistant.OFF : homeAssistant;
    backup = backup == null ? Backup.DEFAULTS : backup;
    durability = durability == null ? Durability.DEFAULTS : durability;
    limits = limits == null ? Limits.DEFAULTS : limits;
    commandFlow = commandFlow == null ? CommandFlow.DEFAULTS : commandFlow;
    relay = relay == null ? Relay.OFF : relay;
    automations = automations == null ? AutomationConfig.DEFAULTS : automations;
    history = history == null ? HistoryConfig.DEFAULTS : history;
  }

  /** A copy with these {@code automations.*} and {@code location.*}. */
  public GatewayConfig withAutomations(AutomationConfig v) {
    Copy c = new Copy(this);
    c.automations = v;
    return c.build();
  }

  /** A copy with these {@code history.*}. */
  public GatewayConfig withHistory(HistoryConfig v) {
    Copy c = new Copy(this);
    c.history = v;
    return c.build();
  }

  /** With the defaults of every part after {@code availability}; each has a {@code with…} copy below. */
  public GatewayConfig(Http http, Mqtt mqtt, Coap coap, Path dataDir, String pairingCode, Path profiles, Path devices,
      Commands commands, Discovery discovery, Availability availability) {
    this(http, mqtt, coap, dataDir, pairingCode, profiles, devices, commands, discovery, availability,
        null, null, null, null, null, null, null, null, null);
  }

  /** A copy with these {@code commands.unknownSettleWindowMs} and {@code data.healthProbeIntervalMs}. */
  public GatewayConfig withRecovery(Recovery v) {
    Copy c = new Copy(this);
    c.recovery = v;
    return c.build();
  }

  /** A copy with these {@code homeAssistant.*}. */
  public GatewayConfig withHomeAssistant(HomeAssistant v) {
    Copy c = new Copy(this);
    c.homeAssistant = v;
    return c.build();
  }

  /** A copy with these {@code backup.*}. */
  public GatewayConfig withBackup(Backup v) {
    Copy c = new Copy(this);
    c.backup = v;
    return c.build();
  }

  /** A copy with these {@code data.durability}, {@code data.syncIntervalMs} and {@code data.maxBatch}. */
  public GatewayConfig withDurability(Durability v) {
    Copy c = new Copy(this);
    c.durability = v;
    return c.build();
  }

  /** A copy with these limits and timings (docs/configuration.md, "Limits and timings"). */
  public GatewayConfig withLimits(Limits v) {
    Copy c = new Copy(this);
    c.limits = v;
    return c.build();
  }

  /** A copy with these {@code commands.maxInFlightPerDevice}, {@code commands.sessionRatePerSecond} and {@code commands.sessionBurst}. */
  public GatewayConfig withCommandFlow(CommandFlow v) {
    Copy c = new Copy(this);
    c.commandFlow = v;
    return c.build();
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
   * How the gateway finds its way back to the truth after a crash, a stop or a failing disk
   * (docs/reliability.md).
   *
   * @param unknownSettleWindowMs {@code commands.unknownSettleWindowMs}: for how long after a start a
   *                              command that ended {@code unknown} may still be settled by its
   *                              device's report or reply (0: never)
   * @param healthProbeIntervalMs {@code data.healthProbeIntervalMs}: while the store is degraded, how
   *                              often a small write checks whether it works again
   */
  public record Recovery(int unknownSettleWindowMs, int healthProbeIntervalMs) {
    public static final Recovery DEFAULTS = new Recovery(600_000, 5_000);
  }

  /**
   * {@code homeAssistant.*}: Home Assistant interop by MQTT discovery (docs/home-assistant.md).
   *
   * @param enabled         publish discovery, state and availability, and take Home Assistant's commands
   * @param discoveryPrefix Home Assistant's discovery prefix ({@code homeassistant})
   * @param baseTopic       the root of the state, availability and command topics ({@code hearth-ha})
   * @param username        the user Home Assistant connects to the embedded broker with
   * @param password        its password (required with the embedded broker); never logged
   */
  public record HomeAssistant(boolean enabled, String discoveryPrefix, String baseTopic, String username,
      String password) {
    public static final HomeAssistant OFF = new HomeAssistant(false, "homeassistant", "hearth-ha", "homeassistant",
        null);

    @Override
    public String toString() {
      return "HomeAssistant[enabled=" + enabled + ", discoveryPrefix=" + discoveryPrefix + ", baseTopic=" + baseTopic
          + ", username=" + username + ", password=***]";
    }
  }

  /**
   * {@code backup.*}: the daily automatic backup (docs/backup.md).
   *
   * @param enabled whether the gateway writes one archive a day
   * @param dir     where; null: {@code <data.dir>/backups}
   * @param time    local time of day it runs
   * @param keep    how many archives it keeps (the oldest go first)
   */
  public record Backup(boolean enabled, Path dir, java.time.LocalTime time, int keep) {
    public static final Backup DEFAULTS = new Backup(true, null, java.time.LocalTime.of(3, 30), 7);

    public Backup {
      Objects.requireNonNull(time, "backup.time");
    }

    /** The folder of the daily archives for this data dir. */
    public Path dir(Path dataDir) {
      return dir != null ? dir : dataDir.resolve("backups");
    }
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

  // ---- remote access through a hearth-relay (issue 16)

  /** A copy with these {@code relay.*}. */
  public GatewayConfig withRelay(Relay v) {
    Copy c = new Copy(this);
    c.relay = v;
    return c.build();
  }

  /**
   * {@code relay.*}: the outbound tunnel to a hearth-relay (docs/relay.md, docs/configuration.md).
   *
   * @param url                 the relay's base URL ({@code https://relay.example.com}; wss is used for https)
   * @param trustCertificate    a PEM certificate file to trust for the relay (a development relay's
   *                            self-signed one); null: the JVM's trusted CAs
   * @param reconnectMinDelayMs first retry after the tunnel failed; delays double (with jitter) up to…
   * @param reconnectMaxDelayMs …this
   * @param maxStreams          app WebSockets carried at once (more are refused 503)
   * @param maxResponseBytes    largest REST answer sent back through the tunnel (larger: 502)
   * @param linkCodeTtlSeconds  how long a link code from {@code POST /api/v1/relay/link} is valid
   * @param idleTimeoutMs       a tunnel from which nothing came this long is closed and reconnected
   *                            (pinged every third of it)
   */
  public record Relay(boolean enabled, String url, String trustCertificate, int reconnectMinDelayMs,
      int reconnectMaxDelayMs, int maxStreams, int maxResponseBytes, int linkCodeTtlSeconds, int idleTimeoutMs) {
    public static final Relay OFF = new Relay(false, null, null, 1000, 60000, 64, 4 * 1024 * 1024, 600, 60000);
  }

  /**
   * A mutable copy of every part, so that each {@code with…} names only its own part; a new part is
   * a record component, a field here and one argument in {@link #build()}.
   */
  private static final class Copy {
    private final GatewayConfig from;
    Recovery recovery;
    HomeAssistant homeAssistant;
    Backup backup;
    Durability durability;
    Limits limits;
    CommandFlow commandFlow;
    Relay relay;
    AutomationConfig automations;
    HistoryConfig history;

    Copy(GatewayConfig from) {
      this.from = from;
      recovery = from.recovery;
      homeAssistant = from.homeAssistant;
      backup = from.backup;
      durability = from.durability;
      limits = from.limits;
      commandFlow = from.commandFlow;
      relay = from.relay;
      automations = from.automations;
      history = from.history;
    }

    GatewayConfig build() {
      return new GatewayConfig(from.http, from.mqtt, from.coap, from.dataDir, from.pairingCode, from.profiles,
          from.devices, from.commands, from.discovery, from.availability, recovery, homeAssistant, backup,
          durability, limits, commandFlow, relay, automations, history);
    }
  }
}
