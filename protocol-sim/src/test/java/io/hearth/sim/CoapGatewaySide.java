package io.hearth.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * The "gateway" in CoAP tests: a plain Californium client endpoint on 127.0.0.1 with short,
 * deterministic retransmission timing (no random factor), so a request that gets no answer gives up
 * after ackTimeout * (2^(maxRetransmit+1) - 1).
 */
final class CoapGatewaySide implements AutoCloseable {

  static {
    CoapConfig.register();
    UdpConfig.register();
  }

  private final CoapEndpoint endpoint;
  private final List<CoapClient> clients = new ArrayList<>();
  private final List<CoapObserveRelation> relations = new ArrayList<>();

  CoapGatewaySide(long ackTimeoutMs, int maxRetransmit) throws IOException {
    Configuration cfg = Configuration.createStandardWithoutFile();
    cfg.set(CoapConfig.ACK_TIMEOUT, ackTimeoutMs, TimeUnit.MILLISECONDS);
    cfg.set(CoapConfig.ACK_INIT_RANDOM, 1.0f);
    cfg.set(CoapConfig.MAX_RETRANSMIT, maxRetransmit);
    cfg.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 2);
    endpoint = new CoapEndpoint.Builder().setConfiguration(cfg)
        .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build();
    endpoint.start();
  }

  CoapEndpoint endpoint() {
    return endpoint;
  }

  /** A client for {@code uri} on this endpoint; shut down by {@link #close()}. */
  synchronized CoapClient client(String uri) {
    CoapClient c = new CoapClient(uri);
    c.setEndpoint(endpoint);
    clients.add(c);
    return c;
  }

  /** Observes {@code uri}; every notification (and the first answer) lands in the returned queue. */
  BlockingQueue<CoapResponse> observe(String uri, int accept) {
    BlockingQueue<CoapResponse> q = new LinkedBlockingQueue<>();
    CoapClient c = client(uri);
    CoapHandler h = new CoapHandler() {
      @Override
      public void onLoad(CoapResponse response) {
        q.add(response);
      }

      @Override
      public void onError() {
      }
    };
    CoapObserveRelation r = accept < 0 ? c.observe(h) : c.observe(h, accept);
    synchronized (this) {
      relations.add(r);
    }
    return q;
  }

  @Override
  public synchronized void close() {
    relations.forEach(CoapObserveRelation::reactiveCancel);
    clients.forEach(CoapClient::shutdown);
    endpoint.destroy();
  }
}
