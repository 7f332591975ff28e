package io.hearth.demo;

import io.hearth.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo never fails on a taken port: each port it would bind (the gateway's HTTP, embedded MQTT
 * and CoAP ports, its simulated CoAP devices' ports) that something else holds is swapped for a free
 * one before the start, and logged; the ready line then shows where everything listens. A port that
 * frees and is taken again between this check and the bind still fails the start (exit 3), as the
 * gateway's own would.
 */
final class DemoPorts {
  private static final Logger LOG = LoggerFactory.getLogger(DemoPorts.class);

  private DemoPorts() {}

  /** {@code config} with every taken port of the gateway swapped for a free one. */
  static GatewayConfig free(GatewayConfig c) {
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
        c.dataDir(), c.pairingCode(), c.profiles(), c.devices(), c.commands(), c.discovery(), c.availability());
  }

  /** {@code port} if a TCP listener can bind it on {@code host}, else a free one (logged). */
  static int tcp(String what, String host, int port) {
    if (port == 0) {
      return 0;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return port;
    } catch (IOException taken) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
        return swapped(what, port, s.getLocalPort());
      } catch (IOException e) {
        return port; // the start will say why
      }
    }
  }

  /** {@code port} if a UDP socket can bind it on {@code host}, else a free one (logged). */
  static int udp(String what, String host, int port) {
    if (port == 0) {
      return 0;
    }
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), port))) {
      return port;
    } catch (IOException taken) {
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(host))) {
        return swapped(what, port, s.getLocalPort());
      } catch (IOException e) {
        return port;
      }
    }
  }

  private static int swapped(String what, int taken, int free) {
    LOG.info("demo: {} {} is in use, using {} instead", what, taken, free);
    return free;
  }
}
