package io.hearth.demo;

import io.hearth.gateway.config.GatewayConfig;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo never fails on a taken port: each port it would bind (the gateway's HTTP, embedded MQTT
 * and CoAP ports, its simulated CoAP devices' ports) that something else holds is swapped, before
 * the start, for the next free one above it (8081, 1884…), and logged; the ready line then shows
 * where everything listens. The next port up, not one the kernel hands out: those come from the
 * ephemeral range, where the gateway's own client sockets may take it again before the demo binds
 * it. A port taken between this check and the bind still fails the start (exit 3), as the
 * gateway's own would.
 */
final class DemoPorts {
  private static final Logger LOG = LoggerFactory.getLogger(DemoPorts.class);
  private static final int SEARCH = 200;

  private final Set<Integer> claimed = new HashSet<>();

  /** {@code config} with every taken port of the gateway swapped for a free one. */
  GatewayConfig free(GatewayConfig c) {
    GatewayConfig.Http h = c.http();
    GatewayConfig.Embedded e = c.mqtt().embedded();
    GatewayConfig.Mqtt m = c.mqtt();
    GatewayConfig.Embedded embedded = !e.enabled() ? e : new GatewayConfig.Embedded(e.enabled(), e.host(),
        tcp("mqtt.embedded.port", e.host(), e.port()), e.allowAnonymous(), e.persistent());
    return new GatewayConfig(
        new GatewayConfig.Http(h.host(), tcp("http.port", h.host(), h.port()), h.tls(), h.maxBodyBytes(),
            h.allowedOrigins()),
        new GatewayConfig.Mqtt(embedded, m.url(), m.username(), m.password(), m.link()),
        new GatewayConfig.Coap(c.coap().host(), udp("coap.port", c.coap().host(), c.coap().port())),
        c.dataDir(), c.pairingCode(), c.profiles(), c.devices(), c.commands(), c.discovery(), c.availability(),
        // every other section as configured (relay.*, limits, command flow, automations, history, …)
        c.recovery(), c.homeAssistant(), c.backup(), c.durability(), c.limits(), c.commandFlow(), c.relay(),
        c.automations(), c.history());
  }

  /** {@code port}, or the next one above it a TCP listener can bind on {@code host} (logged). */
  int tcp(String what, String host, int port) {
    return pick(what, host, port, true);
  }

  /** {@code port}, or the next one above it a UDP socket can bind on {@code host} (logged). */
  int udp(String what, String host, int port) {
    return pick(what, host, port, false);
  }

  private int pick(String what, String host, int port, boolean tcp) {
    if (port == 0) {
      return 0;
    }
    for (int p = port; p < Math.min(port + SEARCH, 65536); p++) {
      if (!claimed.contains(p) && bindable(host, p, tcp)) {
        claimed.add(p);
        if (p != port) {
          LOG.info("demo: {} {} is in use, using {} instead", what, port, p);
        }
        return p;
      }
    }
    return port; // nothing free nearby: the start says why
  }

  private static boolean bindable(String host, int port, boolean tcp) {
    try (Closeable s = tcp ? listen(host, port) : new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host),
        port))) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static ServerSocket listen(String host, int port) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }
}
