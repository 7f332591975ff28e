package io.hearth.sim.coap;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.WebLink;
import org.eclipse.californium.core.coap.LinkFormat;
import org.eclipse.californium.core.network.CoapEndpoint;

/**
 * One lifetime of a CoAP device's server, from coming online to going offline: the Californium
 * server with its resources, its endpoint on a {@link VertxUdpConnector}, and the RD registration.
 * Going online again builds a new one (a rebooted device keeps no exchanges or observers).
 */
final class CoapServing {

  private final CoapServer server;
  private final VertxUdpConnector connector;
  private final CoapEndpoint endpoint;
  private final StateResource state;
  private final EventsResource events;
  private final String links;
  private RdRegistration rd;

  private CoapServing(CoapServer server, VertxUdpConnector connector, CoapEndpoint endpoint, StateResource state,
      EventsResource events, String links) {
    this.server = server;
    this.connector = connector;
    this.endpoint = endpoint;
    this.state = state;
    this.events = events;
    this.links = links;
  }

  /**
   * Builds and starts the server; blocking (binds the port), so run it on the CoAP runtime.
   *
   * @throws IOException when the port cannot be bound
   */
  static CoapServing start(CoapSimDevice device, Vertx vertx, CoapRuntime runtime, InetAddress host, int port,
      Set<String> actions) throws IOException {
    VertxUdpConnector connector = new VertxUdpConnector(vertx, new InetSocketAddress(host, port),
        () -> device.faults().packetLoss(), device.id());
    CoapEndpoint endpoint = new CoapEndpoint.Builder()
        .setConnector(connector)
        .setConfiguration(runtime.config())
        .setLoggingTag(device.id())
        .build();
    CoapServer server = new CoapServer(runtime.config());
    server.setExecutors(runtime.main(), runtime.secondary(), true);
    server.addEndpoint(endpoint);
    StateResource state = new StateResource(device);
    EventsResource events = new EventsResource(device);
    server.add(state, events);
    Set<WebLink> links = new LinkedHashSet<>();
    links.add(LinkFormat.createWebLink(state));
    links.add(LinkFormat.createWebLink(events));
    if (!actions.isEmpty()) {
      CoapResource parent = new CoapResource("actions");
      parent.setVisible(false);
      for (String name : actions) {
        ActionResource action = new ActionResource(device, name);
        parent.add(action);
        links.add(LinkFormat.createWebLink(action));
      }
      server.add(parent);
    }
    try {
      endpoint.start();
      server.start();
    } catch (IOException | RuntimeException e) {
      server.destroy();
      throw e;
    }
    return new CoapServing(server, connector, endpoint, state, events, LinkFormat.serialize(links));
  }

  int port() {
    return connector.getAddress().getPort();
  }

  StateResource state() {
    return state;
  }

  EventsResource events() {
    return events;
  }

  VertxUdpConnector connector() {
    return connector;
  }

  /** The device's resources in link-format, as sent to a resource directory. */
  String links() {
    return links;
  }

  /** Starts registering with a resource directory; on the device's context. */
  void register(Vertx vertx, Context context, String rdUri, int lifetimeSeconds, String endpointName) {
    rd = new RdRegistration(vertx, context, endpoint, rdUri, lifetimeSeconds, endpointName, links);
    rd.start();
  }

  /** On the device's context. */
  void stopRegistration() {
    if (rd != null) {
      rd.stop();
    }
  }

  /** Stops the endpoint and frees the port; blocking, run it on the CoAP runtime. */
  Void destroy() {
    server.destroy();
    return null;
  }
}
