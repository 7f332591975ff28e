package io.hearth.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tier 1: the limit and timing keys ({@link LimitKeys}) — defaults, YAML, environment and range errors. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LimitKeysTest {
  @TempDir
  Path dir;

  private GatewayConfig load(String text, Map<String, String> env) throws IOException {
    Path f = dir.resolve("gateway.yaml");
    Files.writeString(f, text);
    return new ConfigLoader(env).load(f);
  }

  private String failure(String text, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(text, env), () -> "accepted: " + text + env);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void everyLimitDefaultsToTheValueTheCodeUsedBefore() throws IOException {
    // GIVEN an empty file and no environment
    Limits l = load("", Map.of()).limits();
    // THEN every group equals its documented defaults
    assertEquals(Limits.DEFAULTS, l);
    assertEquals(new Limits.RateLimits(5, 5, 30, 10, 60, 10), l.rates());
    assertEquals(32, l.ws().maxUnauthenticated());
    assertEquals(5_000, l.ws().authTimeoutMs());
    assertEquals(16, l.ws().maxPerUser());
    assertEquals(512, l.ws().maxConnections());
    assertEquals(100_000, l.events().maxEvents());
    assertEquals(20_000, l.broker().maxClients());
    assertEquals(262_144, l.broker().maxPacketBytes());
    assertEquals(2_000, l.coap().ackTimeoutMs());
    assertEquals(1.5, l.coap().ackRandomFactor());
    assertEquals(4, l.coap().maxRetransmit());
    assertEquals(120, l.transport().httpIdleTimeoutSeconds());
    assertEquals(new Limits.Lifetimes(15, 30, 24, 7, 60, 5), l.lifetimes());
    assertEquals(new Limits.InputBounds(32, 16 * 1024, 100, 1000), l.input());
  }

  @Test
  void lifetimesAndInputBoundsAreKeysWithEnvironmentOverrides() throws IOException {
    // GIVEN the file sets some, the environment others (and wins where both do)
    Limits l = load("""
        auth: { accessTokenMinutes: 5, inviteHours: 2 }
        commands: { retentionDays: 3 }
        shutdown: { timeoutSeconds: 20 }
        http: { maxJsonDepth: 8 }
        """, Map.of("HEARTH_AUTH_REFRESH_TOKEN_DAYS", "90", "HEARTH_AUTH_INVITEHOURS", "4",
        "HEARTH_SHUTDOWN_HTTP_GRACE_SECONDS", "2", "HEARTH_HTTP_MAX_JSON_STRING_LENGTH", "512",
        "HEARTH_HTTP_MAXJSONNUMBERLENGTH", "20", "HEARTH_COAP_MAX_REGISTRATIONS", "50")).limits();
    assertEquals(new Limits.Lifetimes(5, 90, 4, 3, 20, 2), l.lifetimes());
    assertEquals(new Limits.InputBounds(8, 512, 20, 50), l.input());
  }

  @Test
  void shippedConfigKeepsTheDefaults() {
    assertEquals(Limits.DEFAULTS, new ConfigLoader(Map.of()).load(Path.of("../config/gateway.yaml")).limits());
  }

  @Test
  void yamlSetsEachGroup() throws IOException {
    GatewayConfig c = load("""
        rateLimits: { pairingPerAddressPerMinute: 2, pairingBurst: 3 }
        websocket: { maxPerUser: 2, authTimeoutMs: 800, maxQueuedMessages: 64 }
        events: { maxEvents: 500, maxAgeHours: 2 }
        mqtt:
          embedded: { maxPacketBytes: 4096, receiveMaximum: 10 }
          reconnectMaxDelayMs: 5000
        coap: { ackTimeoutMs: 500, ackRandomFactor: 1.25, maxRetransmit: 2, observeRefusedRetryMaxMs: 30000 }
        http: { idleTimeoutSeconds: 30 }
        """, Map.of());
    Limits l = c.limits();
    assertEquals(2, l.rates().pairingPerAddressPerMinute());
    assertEquals(3, l.rates().pairingBurst());
    assertEquals(30, l.rates().pairingPerMinute(), "siblings keep their defaults");
    assertEquals(2, l.ws().maxPerUser());
    assertEquals(800, l.ws().authTimeoutMs());
    assertEquals(64, l.ws().maxQueuedMessages());
    assertEquals(500, l.events().maxEvents());
    assertEquals(2, l.events().maxAgeHours());
    assertEquals(4096, l.broker().maxPacketBytes());
    assertEquals(10, l.broker().receiveMaximum());
    assertEquals(5000, l.transport().mqttReconnectMaxDelayMs());
    assertEquals(new Limits.CoapTimings(500, 1.25, 2, 5_000, 1_000, 60_000, 30_000), l.coap());
    assertEquals(30, l.transport().httpIdleTimeoutSeconds());
    assertEquals(1883, c.mqtt().embedded().port(), "the section's other keys are untouched");
  }

  @Test
  void environmentWinsOverTheFileInBothSpellings() throws IOException {
    Limits l = load("websocket: { maxPerUser: 4 }", Map.of(
        "HEARTH_WEBSOCKET_MAX_PER_USER", "3",
        "HEARTH_WEBSOCKET_MAXUNAUTHENTICATED", "7",
        "HEARTH_RATE_LIMITS_PAIRING_PER_MINUTE", "12",
        "HEARTH_EVENTS_MEMORY_EVENTS", "99",
        "HEARTH_MQTT_EMBEDDED_MAX_CLIENTS", "50",
        "HEARTH_MQTT_EMBEDDED_CLIENT_PUBLISH_BYTES_PER_SECOND", "1000",
        "HEARTH_COAP_ACK_RANDOM_FACTOR", "2.0",
        "HEARTH_COAP_OBSERVE_GRACE_MS", "0",
        "HEARTH_MQTT_MAX_INFLIGHT", "20",
        "HEARTH_HTTP_IDLE_TIMEOUT_SECONDS", "0")).limits();
    assertEquals(3, l.ws().maxPerUser());
    assertEquals(7, l.ws().maxUnauthenticated());
    assertEquals(12, l.rates().pairingPerMinute());
    assertEquals(99, l.events().memoryEvents());
    assertEquals(50, l.broker().maxClients());
    assertEquals(1000, l.broker().clientPublishBytesPerSecond());
    assertEquals(2.0, l.coap().ackRandomFactor());
    assertEquals(0, l.coap().observeGraceMs());
    assertEquals(20, l.transport().mqttMaxInflight());
    assertEquals(0, l.transport().httpIdleTimeoutSeconds());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rateLimits: { pairingBurst: 0 }                       | 'rateLimits.pairingBurst' must be between 1 and",
      "websocket: { maxPerUser: 0 }                          | 'websocket.maxPerUser' must be between 1 and",
      "websocket: { maxQueuedMessages: 2 }                   | 'websocket.maxQueuedMessages' must be between 8",
      "websocket: { maxFrameBytes: 8192, maxMessageBytes: 4096 } | 'websocket.maxMessageBytes' must be at least",
      "events: { maxEvents: 0 }                              | 'events.maxEvents' must be between 1",
      "mqtt: { embedded: { maxPacketBytes: 100 } }           | 'mqtt.embedded.maxPacketBytes' must be between 1024",
      "mqtt: { embedded: { receiveMaximum: 70000 } }         | 'mqtt.embedded.receiveMaximum' must be between 1 and 65535",
      "mqtt: { reconnectMinDelayMs: 900, reconnectMaxDelayMs: 800 } | 'mqtt.reconnectMaxDelayMs' must be at least",
      "coap: { maxRetransmit: 11 }                           | 'coap.maxRetransmit' must be between 0 and 10",
      "coap: { ackRandomFactor: 0.5 }                        | 'coap.ackRandomFactor' must be between 1.0 and 4.0",
      "coap: { ackRandomFactor: fast }                       | 'coap.ackRandomFactor' must be a number",
      "coap: { observeRetryMinMs: 5000, observeRetryMaxMs: 1000 } | 'coap.observeRetryMaxMs' must be at least",
      "http: { idleTimeoutSeconds: -1 }                      | 'http.idleTimeoutSeconds' must be between 0",
      "websocket: { maxPerUsers: 3 }                         | unknown config key 'websocket.maxPerUsers'",
      "auth: { accessTokenMinutes: 0 }                       | 'auth.accessTokenMinutes' must be between 1 and 1440",
      "auth: { refreshTokenDays: 4000 }                      | 'auth.refreshTokenDays' must be between 1 and 3650",
      "commands: { retentionDays: 0 }                        | 'commands.retentionDays' must be between 1",
      "shutdown: { timeoutSeconds: 5, httpGraceSeconds: 5 }  | 'shutdown.timeoutSeconds' must be more than",
      "http: { maxJsonDepth: 1 }                             | 'http.maxJsonDepth' must be between 2 and 1000",
      "coap: { maxRegistrations: 0 }                         | 'coap.maxRegistrations' must be between 1",
  })
  void outOfRangeValuesStopTheStartNamingTheKey(String yaml, String expected) {
    String message = failure(yaml, Map.of());
    assertTrue(message.contains(expected), message);
  }

  @Test
  void badEnvironmentValueNamesTheKey() {
    String message = failure("", Map.of("HEARTH_WEBSOCKET_AUTH_TIMEOUT_MS", "5s"));
    assertTrue(message.contains("'websocket.authTimeoutMs' must be an integer"), message);
  }
}
