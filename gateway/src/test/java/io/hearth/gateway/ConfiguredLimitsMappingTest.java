package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.adapter.coap.CoapAdapterOptions;
import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.hearth.gateway.broker.BrokerOptions;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Limits;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.ws.WsOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Tier 1: {@link ConfiguredLimits} — the default keys give exactly the option objects the code used
 * before they were keys, and each key lands in its option.
 */
class ConfiguredLimitsMappingTest {
  private static final GatewayConfig.Embedded EMBEDDED = new GatewayConfig.Embedded(true, "127.0.0.1", 1883, false);

  @Test
  void defaultKeysGiveTheFormerDefaults() {
    Limits d = Limits.DEFAULTS;
    assertEquals(WsOptions.DEFAULTS, ConfiguredLimits.ws(d.ws()));
    assertEquals(EventLog.Limits.DEFAULTS, ConfiguredLimits.events(d.events()));
    assertEquals(BrokerOptions.defaults("127.0.0.1", 1883, false, Path.of("data")),
        ConfiguredLimits.broker(EMBEDDED, d.broker(), Path.of("data")));
    assertEquals(CoapAdapterOptions.defaults(), ConfiguredLimits.coap(d.coap()));
    MqttAdapterOptions mqtt = MqttAdapterOptions.of("tcp://127.0.0.1:1883", "hearth-gateway-x");
    assertEquals(mqtt, ConfiguredLimits.mqtt(mqtt, d.transport()));
  }

  @Test
  void eachKeyLandsInItsOption() {
    EventLog.Limits events = ConfiguredLimits.events(new Limits.EventLimits(10, 2, 5, 50));
    assertEquals(new EventLog.Limits(10, Duration.ofHours(2), 5, Duration.ofMillis(50),
        EventLog.Limits.DEFAULTS.seqBlock(), EventLog.Limits.DEFAULTS.purgeInterval()), events);
    WsOptions ws = ConfiguredLimits.ws(new Limits.WsLimits(3000, 200, 2048, 4096, 8, 2048, 1024, 2, 3, 4, 1, 8192));
    assertEquals(new WsOptions(Duration.ofSeconds(3), Duration.ofMillis(200), 2048, 4096, 8, 2048, 1024, 2, 3, 4, 1,
        WsOptions.DEFAULTS.replayPage(), 8192), ws);
    BrokerOptions b = ConfiguredLimits.broker(new GatewayConfig.Embedded(true, "127.0.0.1", 1884, true, true),
        new Limits.BrokerLimits(7, 4096, 100, 0, 9, 11, 60), Path.of("d"));
    assertEquals(7, b.maxConnections());
    assertEquals(4096, b.maxPacketSize());
    assertEquals(100, b.clientIncomingBytesPerSecond());
    assertEquals(0, b.totalIncomingBytesPerSecond());
    assertEquals(9, b.maxQueuedMessagesPerClient());
    assertEquals(11, b.serverReceiveMaximum());
    assertEquals(Duration.ofSeconds(60), b.sessionExpiryMax());
    assertEquals(true, b.persistent());
    CoapAdapterOptions c = ConfiguredLimits.coap(new Limits.CoapTimings(300, 1.0, 2, 10, 20, 30, 40));
    assertEquals(Duration.ofMillis(900), c.maxTransmitSpan());
    assertEquals(Duration.ofMillis(10), c.observeGrace());
    assertEquals(Duration.ofMillis(20), c.retryMin());
    assertEquals(Duration.ofMillis(30), c.retryMax());
    assertEquals(Duration.ofMillis(40), c.refusedRetryMax());
    MqttAdapterOptions m = ConfiguredLimits.mqtt(MqttAdapterOptions.of("tcp://127.0.0.1:1883", "g"),
        new Limits.TransportTimings(50, 60, 70, 0));
    assertEquals(Duration.ofMillis(50), m.reconnectMinDelay());
    assertEquals(Duration.ofMillis(60), m.reconnectMaxDelay());
    assertEquals(70, m.maxInflight());
  }
}
