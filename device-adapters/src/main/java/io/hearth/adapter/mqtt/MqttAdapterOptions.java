package io.hearth.adapter.mqtt;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the MQTT adapter's connection to its broker.
 *
 * @param serverUri         broker, {@code tcp://host:port}
 * @param clientId          the gateway's MQTT client id (unique on the broker)
 * @param username          the gateway's user name on the broker, or null
 * @param password          its password, or null; never logged
 * @param maxInflight       most QoS 1 commands awaiting PUBACK at once (default 1000; the
 *                          broker's Receive Maximum lowers it); more wait in a local queue
 * @param connectTimeout    how long one connect attempt may take (default 10 s): the TCP connect is
 *                          bounded by it, and an attempt not answered within it plus 2 s is
 *                          abandoned (docs/operations.md)
 * @param keepAlive         MQTT keep-alive (default 30 s); a broker that stops answering is declared
 *                          down within 1.5× (docs/operations.md)
 * @param reconnectMinDelay first retry delay after a failed or lost connection (default 500 ms)
 * @param reconnectMaxDelay longest retry delay; delays double up to it (default 30 s)
 * @param sessionExpiry     how long the broker keeps the gateway's session after a connection loss
 *                          (default 10 min), so that QoS 1 messages for its subscriptions published
 *                          during a gap are delivered on reconnect; zero: a clean start every time.
 *                          The first connect of a run always starts clean.
 */
public record MqttAdapterOptions(
    String serverUri,
    String clientId,
    String username,
    String password,
    int maxInflight,
    Duration connectTimeout,
    Duration keepAlive,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    Duration sessionExpiry) {

  public static final int DEFAULT_MAX_INFLIGHT = 1000;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RECONNECT_MIN_DELAY = Duration.ofMillis(500);
  public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);
  public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofMinutes(10);

  public MqttAdapterOptions {
    Objects.requireNonNull(serverUri, "serverUri");
    Objects.requireNonNull(clientId, "clientId");
    URI uri = URI.create(serverUri);
    if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
      throw new IllegalArgumentException("serverUri must be tcp://host:port, not '" + serverUri + "'");
    }
    if (clientId.isEmpty() || clientId.length() > 128) {
      throw new IllegalArgumentException("clientId must be 1–128 characters");
    }
    if (maxInflight < 1 || maxInflight > 65_535) {
      throw new IllegalArgumentException("maxInflight must be 1–65535");
    }
    connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
    keepAlive = positive(keepAlive, DEFAULT_KEEP_ALIVE, "keepAlive");
    reconnectMinDelay = positive(reconnectMinDelay, DEFAULT_RECONNECT_MIN_DELAY, "reconnectMinDelay");
    reconnectMaxDelay = positive(reconnectMaxDelay, DEFAULT_RECONNECT_MAX_DELAY, "reconnectMaxDelay");
    if (sessionExpiry == null) {
      sessionExpiry = DEFAULT_SESSION_EXPIRY;
    }
    if (sessionExpiry.isNegative() || sessionExpiry.toSeconds() > 0xFFFF_FFFEL) {
      throw new IllegalArgumentException("sessionExpiry must be 0 to 4294967294 s");
    }
    if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
      throw new IllegalArgumentException("reconnectMaxDelay must be ≥ reconnectMinDelay");
    }
  }

  /** Options with every default, anonymous. */
  public static MqttAdapterOptions of(String serverUri, String clientId) {
    return new MqttAdapterOptions(serverUri, clientId, null, null, DEFAULT_MAX_INFLIGHT, null, null, null, null,
        null);
  }

  /** A copy with these credentials. */
  public MqttAdapterOptions withCredentials(String newUsername, String newPassword) {
    return new MqttAdapterOptions(serverUri, clientId, newUsername, newPassword, maxInflight, connectTimeout,
        keepAlive, reconnectMinDelay, reconnectMaxDelay, sessionExpiry);
  }

  /** A copy with this connect timeout, keep-alive and session expiry (null: the default). */
  public MqttAdapterOptions withLink(Duration newConnectTimeout, Duration newKeepAlive, Duration newSessionExpiry) {
    return new MqttAdapterOptions(serverUri, clientId, username, password, maxInflight, newConnectTimeout,
        newKeepAlive, reconnectMinDelay, reconnectMaxDelay, newSessionExpiry);
  }

  /** A copy with these reconnect delays. */
  public MqttAdapterOptions withReconnectDelays(Duration min, Duration max) {
    return new MqttAdapterOptions(serverUri, clientId, username, password, maxInflight, connectTimeout,
        keepAlive, min, max, sessionExpiry);
  }

  /** A copy with this in-flight limit. */
  public MqttAdapterOptions withMaxInflight(int newMaxInflight) {
    return new MqttAdapterOptions(serverUri, clientId, username, password, newMaxInflight, connectTimeout,
        keepAlive, reconnectMinDelay, reconnectMaxDelay, sessionExpiry);
  }

  private static Duration positive(Duration d, Duration fallback, String name) {
    if (d == null) {
      return fallback;
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }

  @Override
  public String toString() {
    return "MqttAdapterOptions[serverUri=" + serverUri + ", clientId=" + clientId + ", username=" + username
        + ", password=" + (password == null ? "null" : "***") + ", maxInflight=" + maxInflight
        + ", connectTimeout=" + connectTimeout + ", keepAlive=" + keepAlive + ", reconnect="
        + reconnectMinDelay + ".." + reconnectMaxDelay + ", sessionExpiry=" + sessionExpiry + "]";
  }
}
