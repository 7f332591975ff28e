package io.hearth.gateway.coap;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own CoAP endpoint ({@code coap.host}:{@code coap.port}, UDP): serves the resource
 * directory {@code /rd} (and {@code /.well-known/core}). One protocol-stage thread; binding and
 * stopping run on a worker.
 */
public final class GatewayCoapServer {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCoapServer.class);

  private final Context context;
  private final String host;
  private final int port;
  private final Discovery discovery;
  private CoapServer server;
  private volatile int actualPort = -1;

  public GatewayCoapServer(Context context, String host, int port, Discovery discovery) {
    this.context = Objects.requireNonNull(context, "context");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.discovery = Objects.requireNonNull(discovery, "discovery");
  }

  /** Binds the endpoint; fails with the bind error (e.g. port in use). */
  public Future<Void> start() {
    return context.owner().executeBlocking(() -> {
      Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
      config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
      config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
      config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
      CoapServer s = new CoapServer(config);
      s.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config)
          .setInetSocketAddress(new InetSocketAddress(host, port)).setLoggingTag("hearth-rd").build());
      s.add(new ResourceDirectoryResource(context, discovery));
      try {
        s.start();
      } catch (RuntimeException e) {
        s.destroy();
        throw new IllegalStateException("cannot bind " + host + ":" + port, e);
      }
      Endpoint ep = s.getEndpoints().get(0);
      if (!ep.isStarted()) {
        s.destroy();
        throw new IllegalStateException("cannot bind " + host + ":" + port);
      }
      server = s;
      actualPort = ep.getAddress().getPort();
      LOG.info("CoAP endpoint listening [url: {}]", url());
      return null;
    });
  }

  /** Stops and destroys the endpoint. Idempotent. */
  public Future<Void> stop() {
    discovery.close();
    CoapServer s = server;
    server = null;
    actualPort = -1;
    if (s == null) {
      return Future.succeededFuture();
    }
    return context.owner().executeBlocking(() -> {
      s.stop();
      s.destroy();
      LOG.info("CoAP endpoint stopped");
      return null;
    });
  }

  public boolean isUp() {
    return actualPort > 0;
  }

  /** The bound port, or -1 when not started. */
  public int port() {
    return actualPort;
  }

  /** {@code coap://host:port} with the bound port. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "coap://" + h + ":" + actualPort;
  }
}
