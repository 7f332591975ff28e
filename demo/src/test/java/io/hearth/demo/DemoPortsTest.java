package io.hearth.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Limits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Picking free ports changes the ports only: every other configured section reaches the gateway. */
class DemoPortsTest {

  @Test
  void freePortsKeepTheRelayAndEveryOtherSection() {
    // GIVEN a config with non-default relay.*, command flow and limits (ports 0: nothing to move)
    GatewayConfig.Relay relay = new GatewayConfig.Relay(true, "https://relay.example.com", null, 100, 1000, 8,
        1 << 20, 60, 30_000);
    GatewayConfig.CommandFlow flow = new GatewayConfig.CommandFlow(2, 5, 10);
    GatewayConfig c = new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(false, null, null), 65536),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(true, "127.0.0.1", 0, false), "tcp://127.0.0.1:1883", null,
            null),
        new GatewayConfig.Coap("127.0.0.1", 0), Path.of("data"), "CODE", null, null,
        new GatewayConfig.Commands(5000, 60000, 1500))
        .withRelay(relay).withCommandFlow(flow).withLimits(Limits.DEFAULTS);
    // WHEN the demo picks its ports
    GatewayConfig freed = new DemoPorts().free(c);
    // THEN the sections are the configured ones
    assertEquals(relay, freed.relay());
    assertEquals(flow, freed.commandFlow());
    assertEquals(c.limits(), freed.limits());
    assertEquals(c.automations(), freed.automations());
    assertEquals(c.history(), freed.history());
    assertEquals(c.withRelay(relay), freed);
  }
}
