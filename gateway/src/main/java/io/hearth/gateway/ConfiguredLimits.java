package io.hearth.gateway;

import io.hearth.adapter.coap.CoapAdapterOptions;
import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.hearth.gateway.broker.BrokerOptions;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Limits;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.security.RateLimiter;
import io.hearth.gateway.security.SecurityLimits;
import io.hearth.gateway.ws.WsOptions;
import java.time.Duration;

/**
 * Turns the configured {@link Limits} (docs/configuration.md, "Limits and timings") into the option
 * objects of the parts they bound: the WebSocket, the event log, the app API's rate limits, the
 * embedded broker, the CoAP adapter and the gateway's MQTT link.
 */
final class ConfiguredLimits {
  private ConfiguredLimits() {}

  static WsOptions ws(Limits.WsLimits w) {
    WsOptions d = WsOptions.DEFAULTS;
    return new WsOptions(Duration.ofMillis(w.idleTimeoutMs()), Duration.ofMillis(w.authTimeoutMs()),
        w.maxFrameBytes(), w.maxMessageBytes(), w.maxQueuedMessages(), w.maxQueuedBytes(), w.writeQueueBytes(),
        w.maxSubscriptions(), w.maxConnections(), w.maxUnauthenticated(), w.maxPerUser(), d.replayPage(),
        w.sendBufferBytes());
  }

  static EventLog.Limits events(Limits.EventLimits e) {
    EventLog.Limits d = EventLog.Limits.DEFAULTS;
    return new EventLog.Limits(e.maxEvents(), Duration.ofHours(e.maxAgeHours()), e.memoryEvents(),
        Duration.ofMillis(e.flushIntervalMs()), d.seqBlock(), d.purgeInterval());
  }

  /** Pairing and refresh limits as configured; the per-session command limit as {@link SecurityLimits#defaults()}. */
  static SecurityLimits security(Limits.RateLimits r, GatewayConfig.CommandFlow flow) {
    return new SecurityLimits(
        perMinute(r.pairingPerAddressPerMinute(), r.pairingPerAddressBurst(), SecurityLimits.MAX_KEYS),
        perMinute(r.pairingPerMinute(), r.pairingBurst(), 1),
        perMinute(r.refreshPerAddressPerMinute(), r.refreshPerAddressBurst(), SecurityLimits.MAX_KEYS),
        SecurityLimits.of(flow).commands());
  }

  private static RateLimiter perMinute(int perMinute, int burst, int maxKeys) {
    return new RateLimiter(perMinute / 60.0, burst, maxKeys, System::nanoTime);
  }

  static BrokerOptions broker(GatewayConfig.Embedded e, Limits.BrokerLimits b, java.nio.file.Path dataDir) {
    BrokerOptions d = BrokerOptions.defaults(e.host(), e.port(), e.allowAnonymous(), dataDir);
    return new BrokerOptions(e.host(), e.port(), e.allowAnonymous(), dataDir, b.maxClients(), b.maxPacketBytes(),
        b.clientPublishBytesPerSecond(), b.totalPublishBytesPerSecond(), b.maxQueuedMessagesPerClient(),
        b.receiveMaximum(), Duration.ofSeconds(b.sessionExpiryMaxSeconds()), d.messageExpiryMax(), d.maxTopicLength(),
        d.maxClientIdLength(), e.persistent());
  }

  static CoapAdapterOptions coap(Limits.CoapTimings c) {
    return CoapAdapterOptions.defaults()
        .withTransmission(Duration.ofMillis(c.ackTimeoutMs()), c.ackRandomFactor(), c.maxRetransmit())
        .withObserve(Duration.ofMillis(c.observeGraceMs()), Duration.ofMillis(c.observeRetryMinMs()),
            Duration.ofMillis(c.observeRetryMaxMs()))
        .withRefusedRetryMax(Duration.ofMillis(c.observeRefusedRetryMaxMs()));
  }

  static MqttAdapterOptions mqtt(MqttAdapterOptions options, Limits.TransportTimings t) {
    return options.withReconnectDelays(Duration.ofMillis(t.mqttReconnectMinDelayMs()),
        Duration.ofMillis(t.mqttReconnectMaxDelayMs())).withMaxInflight(t.mqttMaxInflight());
  }
}
