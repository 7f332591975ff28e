package io.hearth.gateway.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded MQTT broker. Each limit protects the gateway process, which the broker
 * shares: an unthrottled flood of publishes once ran an in-process broker out of memory and took
 * the whole gateway down with it, so the limits are always on.
 *
 * @param host address the MQTT listener binds to (config {@code mqtt.embedded.host}, default
 *     {@code 127.0.0.1})
 * @param port TCP port of the MQTT listener, 1-65535 (config {@code mqtt.embedded.port}, default
 *     {@value #DEFAULT_PORT})
 * @param allowAnonymous admit clients without a user name with full access to every topic. A
 *     development setting only (config {@code mqtt.embedded.allowAnonymous}, default false)
 * @param dataDir the gateway's data directory ({@code data.dir}); the broker keeps everything under
 *     {@code <dataDir>/broker}: {@code conf/} (config.xml, regenerated at each start), {@code data/}
 *     (sessions, queued and retained messages) and {@code extensions/} (always empty)
 * @param maxConnections most simultaneous client connections; the simulator runs 10,000 devices
 *     (default {@value #DEFAULT_MAX_CONNECTIONS})
 * @param maxPacketSize largest MQTT packet in bytes a client may send (default 256 KiB); larger
 *     packets close the connection
 * @param clientIncomingBytesPerSecond bytes of PUBLISH packets per second one client may send (a
 *     token bucket holding one second's worth, or at least one packet of {@code maxPacketSize});
 *     publishes beyond it are dropped, answered with QUOTA_EXCEEDED on QoS 1/2 under MQTT 5
 *     (default 256 KiB/s)
 * @param totalIncomingBytesPerSecond ceiling on the bytes per second the broker reads from all
 *     clients together; past it the broker stops reading sockets for a moment (TCP back-pressure),
 *     so memory stays bounded whatever clients send. 0 disables it (default 16 MiB/s)
 * @param maxQueuedMessagesPerClient messages held for one client (offline persistent session or
 *     slow reader); beyond it the oldest is discarded (default {@value #DEFAULT_MAX_QUEUED})
 * @param serverReceiveMaximum QoS 1/2 publishes one client may have unacknowledged towards the
 *     broker (MQTT 5 flow control; default {@value #DEFAULT_RECEIVE_MAXIMUM})
 * @param sessionExpiryMax cap on the session expiry a client may ask for; an offline session and
 *     its queue are dropped after it (default 7 days)
 * @param messageExpiryMax cap on a message's lifetime, retained messages included. The default
 *     {@link #NO_MESSAGE_EXPIRY} never expires them: retained device state must outlive a quiet
 *     device, and queues are already bounded by {@code maxQueuedMessagesPerClient} and {@code
 *     sessionExpiryMax}
 * @param maxTopicLength longest topic name or filter in characters (default {@value
 *     #DEFAULT_MAX_TOPIC_LENGTH})
 * @param maxClientIdLength longest client id (default {@value #DEFAULT_MAX_CLIENT_ID_LENGTH})
 * @param persistent keep sessions, queued and retained messages in files under {@code data/}
 *     across restarts (config {@code mqtt.embedded.persistence: file}); false keeps them in memory
 *     only ({@code memory}, the default): HiveMQ's file persistence costs about half the broker's
 *     QoS 1 throughput and a disk write per connect and per retained message, while the gateway
 *     keeps device state in its own store and devices re-announce themselves when they reconnect
 */
public record BrokerOptions(
    String host,
    int port,
    boolean allowAnonymous,
    Path dataDir,
    long maxConnections,
    int maxPacketSize,
    long clientIncomingBytesPerSecond,
    long totalIncomingBytesPerSecond,
    long maxQueuedMessagesPerClient,
    int serverReceiveMaximum,
    Duration sessionExpiryMax,
    Duration messageExpiryMax,
    int maxTopicLength,
    int maxClientIdLength,
    boolean persistent) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 1883;
  public static final long DEFAULT_MAX_CONNECTIONS = 20_000;
  public static final int DEFAULT_MAX_PACKET_SIZE = 256 * 1024;
  public static final long DEFAULT_CLIENT_INCOMING_BYTES_PER_SECOND = 256 * 1024;
  public static final long DEFAULT_TOTAL_INCOMING_BYTES_PER_SECOND = 16L * 1024 * 1024;
  public static final long DEFAULT_MAX_QUEUED = 1000;
  public static final int DEFAULT_RECEIVE_MAXIMUM = 1000;
  public static final Duration DEFAULT_SESSION_EXPIRY_MAX = Duration.ofDays(7);
  /** HiveMQ's "never expires" value (2^32 seconds). */
  public static final Duration NO_MESSAGE_EXPIRY = Duration.ofSeconds(4_294_967_296L);
  public static final int DEFAULT_MAX_TOPIC_LENGTH = 1024;
  public static final int DEFAULT_MAX_CLIENT_ID_LENGTH = 256;

  /** In-memory persistence (the default). */
  public BrokerOptions(String host, int port, boolean allowAnonymous, Path dataDir, long maxConnections,
      int maxPacketSize, long clientIncomingBytesPerSecond, long totalIncomingBytesPerSecond,
      long maxQueuedMessagesPerClient, int serverReceiveMaximum, Duration sessionExpiryMax,
      Duration messageExpiryMax, int maxTopicLength, int maxClientIdLength) {
    this(host, port, allowAnonymous, dataDir, maxConnections, maxPacketSize, clientIncomingBytesPerSecond,
        totalIncomingBytesPerSecond, maxQueuedMessagesPerClient, serverReceiveMaximum, sessionExpiryMax,
        messageExpiryMax, maxTopicLength, maxClientIdLength, false);
  }

  /** Checks every value; a bad one fails with a message naming it. */
  public BrokerOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(sessionExpiryMax, "sessionExpiryMax");
    Objects.requireNonNull(messageExpiryMax, "messageExpiryMax");
    require(!host.isBlank(), "mqtt.embedded.host must not be blank");
    require(port >= 1 && port <= 65_535, "mqtt.embedded.port must be 1-65535, got " + port);
    require(maxConnections >= 1, "maxConnections must be at least 1");
    require(maxPacketSize >= 1024, "maxPacketSize must be at least 1024 bytes");
    require(maxPacketSize <= 268_435_460, "maxPacketSize must be at most 268435460 bytes");
    require(clientIncomingBytesPerSecond >= 1, "clientIncomingBytesPerSecond must be at least 1");
    require(totalIncomingBytesPerSecond >= 0, "totalIncomingBytesPerSecond must not be negative");
    require(maxQueuedMessagesPerClient >= 1, "maxQueuedMessagesPerClient must be at least 1");
    require(
        serverReceiveMaximum >= 1 && serverReceiveMaximum <= 65_535,
        "serverReceiveMaximum must be 1-65535");
    require(
        !sessionExpiryMax.isNegative() && sessionExpiryMax.getSeconds() <= 4_294_967_295L,
        "sessionExpiryMax must be 0 to 2^32-1 seconds");
    require(
        !messageExpiryMax.isNegative() && messageExpiryMax.getSeconds() <= 4_294_967_296L,
        "messageExpiryMax must be 0 to 2^32 seconds");
    require(maxTopicLength >= 1 && maxTopicLength <= 65_535, "maxTopicLength must be 1-65535");
    require(
        maxClientIdLength >= 1 && maxClientIdLength <= 65_535, "maxClientIdLength must be 1-65535");
  }

  /** Options with every limit at its default. */
  public static BrokerOptions defaults(String host, int port, boolean allowAnonymous, Path dataDir) {
    return new BrokerOptions(
        host,
        port,
        allowAnonymous,
        dataDir,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_PACKET_SIZE,
        DEFAULT_CLIENT_INCOMING_BYTES_PER_SECOND,
        DEFAULT_TOTAL_INCOMING_BYTES_PER_SECOND,
        DEFAULT_MAX_QUEUED,
        DEFAULT_RECEIVE_MAXIMUM,
        DEFAULT_SESSION_EXPIRY_MAX,
        NO_MESSAGE_EXPIRY,
        DEFAULT_MAX_TOPIC_LENGTH,
        DEFAULT_MAX_CLIENT_ID_LENGTH);
  }

  /** A copy with other incoming-traffic limits (bytes per second; total 0 = no ceiling). */
  public BrokerOptions withIncomingLimits(long perClient, long total) {
    return new BrokerOptions(
        host, port, allowAnonymous, dataDir, maxConnections, maxPacketSize, perClient, total,
        maxQueuedMessagesPerClient, serverReceiveMaximum, sessionExpiryMax, messageExpiryMax,
        maxTopicLength, maxClientIdLength, persistent);
  }

  /** A copy with file ({@code true}) or in-memory persistence. */
  public BrokerOptions withPersistent(boolean filePersistence) {
    return new BrokerOptions(
        host, port, allowAnonymous, dataDir, maxConnections, maxPacketSize, clientIncomingBytesPerSecond,
        totalIncomingBytesPerSecond, maxQueuedMessagesPerClient, serverReceiveMaximum, sessionExpiryMax,
        messageExpiryMax, maxTopicLength, maxClientIdLength, filePersistence);
  }

  /** The folder holding all the broker's files: {@code <dataDir>/broker}. */
  public Path brokerDir() {
    return dataDir.resolve("broker");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
