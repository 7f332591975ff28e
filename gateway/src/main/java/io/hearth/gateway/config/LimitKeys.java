package io.hearth.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The keys of {@link Limits}: their defaults in the config tree and their range checks. Each key is
 * a row of docs/configuration.md ("Limits and timings"); a value out of range stops the start with
 * the key named.
 */
final class LimitKeys {
  private LimitKeys() {}

  /** Adds every limit key with its default to the tree of {@link ConfigLoader#defaults()}. */
  static void addDefaults(ObjectNode root) {
    Limits.RateLimits r = Limits.RateLimits.DEFAULTS;
    root.putObject("rateLimits")
        .put("pairingPerAddressPerMinute", r.pairingPerAddressPerMinute())
        .put("pairingPerAddressBurst", r.pairingPerAddressBurst())
        .put("pairingPerMinute", r.pairingPerMinute())
        .put("pairingBurst", r.pairingBurst())
        .put("refreshPerAddressPerMinute", r.refreshPerAddressPerMinute())
        .put("refreshPerAddressBurst", r.refreshPerAddressBurst());
    Limits.WsLimits w = Limits.WsLimits.DEFAULTS;
    root.putObject("websocket")
        .put("idleTimeoutMs", w.idleTimeoutMs()).put("authTimeoutMs", w.authTimeoutMs())
        .put("maxFrameBytes", w.maxFrameBytes()).put("maxMessageBytes", w.maxMessageBytes())
        .put("maxQueuedMessages", w.maxQueuedMessages()).put("maxQueuedBytes", w.maxQueuedBytes())
        .put("writeQueueBytes", w.writeQueueBytes()).put("maxSubscriptions", w.maxSubscriptions())
        .put("maxConnections", w.maxConnections()).put("maxUnauthenticated", w.maxUnauthenticated())
        .put("maxPerUser", w.maxPerUser()).put("sendBufferBytes", w.sendBufferBytes());
    Limits.EventLimits e = Limits.EventLimits.DEFAULTS;
    root.putObject("events")
        .put("maxEvents", e.maxEvents()).put("maxAgeHours", e.maxAgeHours())
        .put("memoryEvents", e.memoryEvents()).put("flushIntervalMs", e.flushIntervalMs());
    Limits.BrokerLimits b = Limits.BrokerLimits.DEFAULTS;
    ((ObjectNode) root.get("mqtt").get("embedded"))
        .put("maxClients", b.maxClients()).put("maxPacketBytes", b.maxPacketBytes())
        .put("clientPublishBytesPerSecond", b.clientPublishBytesPerSecond())
        .put("totalPublishBytesPerSecond", b.totalPublishBytesPerSecond())
        .put("maxQueuedMessagesPerClient", b.maxQueuedMessagesPerClient())
        .put("receiveMaximum", b.receiveMaximum())
        .put("sessionExpiryMaxSeconds", (int) b.sessionExpiryMaxSeconds());
    Limits.CoapTimings c = Limits.CoapTimings.DEFAULTS;
    ((ObjectNode) root.get("coap"))
        .put("ackTimeoutMs", c.ackTimeoutMs()).put("ackRandomFactor", c.ackRandomFactor())
        .put("maxRetransmit", c.maxRetransmit()).put("observeGraceMs", c.observeGraceMs())
        .put("observeRetryMinMs", c.observeRetryMinMs()).put("observeRetryMaxMs", c.observeRetryMaxMs())
        .put("observeRefusedRetryMaxMs", c.observeRefusedRetryMaxMs());
    Limits.TransportTimings t = Limits.TransportTimings.DEFAULTS;
    ((ObjectNode) root.get("mqtt"))
        .put("reconnectMinDelayMs", t.mqttReconnectMinDelayMs())
        .put("reconnectMaxDelayMs", t.mqttReconnectMaxDelayMs())
        .put("maxInflight", t.mqttMaxInflight());
    ((ObjectNode) root.get("http")).put("idleTimeoutSeconds", t.httpIdleTimeoutSeconds());
    Limits.Lifetimes l = Limits.Lifetimes.DEFAULTS;
    ((ObjectNode) root.get("auth")).put("accessTokenMinutes", l.accessTokenMinutes())
        .put("refreshTokenDays", l.refreshTokenDays()).put("inviteHours", l.inviteHours());
    ((ObjectNode) root.get("commands")).put("retentionDays", l.commandRetentionDays());
    root.putObject("shutdown").put("timeoutSeconds", l.shutdownTimeoutSeconds())
        .put("httpGraceSeconds", l.httpGraceSeconds());
    Limits.InputBounds in = Limits.InputBounds.DEFAULTS;
    ((ObjectNode) root.get("http")).put("maxJsonDepth", in.maxJsonDepth())
        .put("maxJsonStringLength", in.maxJsonStringLength()).put("maxJsonNumberLength", in.maxJsonNumberLength());
    ((ObjectNode) root.get("coap")).put("maxRegistrations", in.coapMaxRegistrations());
  }

  /** Reads and checks every limit key of the merged tree. */
  static Limits bind(JsonNode root) {
    return new Limits(rates(root.get("rateLimits")), ws(root.get("websocket")), events(root.get("events")),
        broker(root.get("mqtt").get("embedded")), coap(root.get("coap")), transport(root),
        lifetimes(root), input(root));
  }

  private static Limits.RateLimits rates(JsonNode n) {
    return new Limits.RateLimits(
        int1(n, "rateLimits", "pairingPerAddressPerMinute", 1, 60_000),
        int1(n, "rateLimits", "pairingPerAddressBurst", 1, 10_000),
        int1(n, "rateLimits", "pairingPerMinute", 1, 60_000),
        int1(n, "rateLimits", "pairingBurst", 1, 10_000),
        int1(n, "rateLimits", "refreshPerAddressPerMinute", 1, 60_000),
        int1(n, "rateLimits", "refreshPerAddressBurst", 1, 10_000));
  }

  private static Limits.WsLimits ws(JsonNode n) {
    String s = "websocket";
    int frame = int1(n, s, "maxFrameBytes", 1024, 16 << 20);
    int message = int1(n, s, "maxMessageBytes", 1024, 64 << 20);
    if (message < frame) {
      throw new ConfigException("config key 'websocket.maxMessageBytes' must be at least websocket.maxFrameBytes ("
          + frame + "), not " + message);
    }
    return new Limits.WsLimits(
        int1(n, s, "idleTimeoutMs", 1_000, 3_600_000),
        int1(n, s, "authTimeoutMs", 100, 600_000),
        frame, message,
        int1(n, s, "maxQueuedMessages", 8, 1_000_000),
        int1(n, s, "maxQueuedBytes", 1024, 1 << 30),
        int1(n, s, "writeQueueBytes", 1024, 64 << 20),
        int1(n, s, "maxSubscriptions", 1, 10_000),
        int1(n, s, "maxConnections", 1, 100_000),
        int1(n, s, "maxUnauthenticated", 1, 100_000),
        int1(n, s, "maxPerUser", 1, 100_000),
        int1(n, s, "sendBufferBytes", 0, 64 << 20));
  }

  private static Limits.EventLimits events(JsonNode n) {
    return new Limits.EventLimits(
        int1(n, "events", "maxEvents", 1, 100_000_000),
        int1(n, "events", "maxAgeHours", 1, 24 * 365),
        int1(n, "events", "memoryEvents", 1, 10_000_000),
        int1(n, "events", "flushIntervalMs", 10, 60_000));
  }

  private static Limits.BrokerLimits broker(JsonNode n) {
    String s = "mqtt.embedded";
    return new Limits.BrokerLimits(
        int1(n, s, "maxClients", 1, 10_000_000),
        int1(n, s, "maxPacketBytes", 1024, 268_435_455),
        int1(n, s, "clientPublishBytesPerSecond", 1, Integer.MAX_VALUE),
        int1(n, s, "totalPublishBytesPerSecond", 0, Integer.MAX_VALUE),
        int1(n, s, "maxQueuedMessagesPerClient", 1, 10_000_000),
        int1(n, s, "receiveMaximum", 1, 65_535),
        int1(n, s, "sessionExpiryMaxSeconds", 0, Integer.MAX_VALUE));
  }

  private static Limits.CoapTimings coap(JsonNode n) {
    String s = "coap";
    int retryMin = int1(n, s, "observeRetryMinMs", 10, 3_600_000);
    int retryMax = int1(n, s, "observeRetryMaxMs", 10, 86_400_000);
    int refusedMax = int1(n, s, "observeRefusedRetryMaxMs", 10, 86_400_000);
    if (retryMax < retryMin) {
      throw new ConfigException("config key 'coap.observeRetryMaxMs' must be at least coap.observeRetryMinMs ("
          + retryMin + "), not " + retryMax);
    }
    if (refusedMax < retryMin) {
      throw new ConfigException("config key 'coap.observeRefusedRetryMaxMs' must be at least coap.observeRetryMinMs ("
          + retryMin + "), not " + refusedMax);
    }
    double factor = n.get("ackRandomFactor").doubleValue();
    if (!(factor >= 1.0 && factor <= 4.0)) {
      throw new ConfigException("config key 'coap.ackRandomFactor' must be between 1.0 and 4.0, not " + factor);
    }
    return new Limits.CoapTimings(
        int1(n, s, "ackTimeoutMs", 10, 600_000), factor,
        int1(n, s, "maxRetransmit", 0, 10),
        int1(n, s, "observeGraceMs", 0, 3_600_000),
        retryMin, retryMax, refusedMax);
  }

  private static Limits.TransportTimings transport(JsonNode root) {
    JsonNode mqtt = root.get("mqtt");
    int min = int1(mqtt, "mqtt", "reconnectMinDelayMs", 10, 3_600_000);
    int max = int1(mqtt, "mqtt", "reconnectMaxDelayMs", 10, 3_600_000);
    if (max < min) {
      throw new ConfigException("config key 'mqtt.reconnectMaxDelayMs' must be at least mqtt.reconnectMinDelayMs ("
          + min + "), not " + max);
    }
    return new Limits.TransportTimings(min, max,
        int1(mqtt, "mqtt", "maxInflight", 1, 65_535),
        int1(root.get("http"), "http", "idleTimeoutSeconds", 0, 86_400));
  }

  private static Limits.Lifetimes lifetimes(JsonNode root) {
    JsonNode auth = root.get("auth");
    int grace = int1(root.get("shutdown"), "shutdown", "httpGraceSeconds", 0, 3_600);
    int timeout = int1(root.get("shutdown"), "shutdown", "timeoutSeconds", 1, 3_600);
    if (timeout <= grace) {
      throw new ConfigException("config key 'shutdown.timeoutSeconds' must be more than shutdown.httpGraceSeconds ("
          + grace + "), not " + timeout);
    }
    return new Limits.Lifetimes(
        int1(auth, "auth", "accessTokenMinutes", 1, 24 * 60),
        int1(auth, "auth", "refreshTokenDays", 1, 3_650),
        int1(auth, "auth", "inviteHours", 1, 24 * 365),
        int1(root.get("commands"), "commands", "retentionDays", 1, 3_650),
        timeout, grace);
  }

  private static Limits.InputBounds input(JsonNode root) {
    JsonNode http = root.get("http");
    return new Limits.InputBounds(
        int1(http, "http", "maxJsonDepth", 2, 1_000),
        int1(http, "http", "maxJsonStringLength", 64, 64 << 20),
        int1(http, "http", "maxJsonNumberLength", 16, 10_000),
        int1(root.get("coap"), "coap", "maxRegistrations", 1, 1_000_000));
  }

  private static int int1(JsonNode n, String section, String field, int min, int max) {
    return ConfigLoader.range(n, field, section + "." + field, min, max);
  }
}
