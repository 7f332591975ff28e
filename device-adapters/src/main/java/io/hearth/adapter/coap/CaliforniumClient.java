package io.hearth.adapter.coap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.Token;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's Californium side: one UDP client endpoint ({@code coap://}) and one DTLS client
 * endpoint ({@code coaps://}, PSK), sharing one small protocol-stage pool and one timer thread.
 * {@link #start()} and {@link #stop()} block (binding sockets, joining threads): call them off the
 * event loop.
 */
final class CaliforniumClient {
  /** Thread-name prefix of every thread this class starts (tests check none outlives stop). */
  static final String THREAD_PREFIX = "hearth-coap-";
  private static final Logger LOG = LoggerFactory.getLogger(CaliforniumClient.class);

  private final CoapAdapterOptions options;
  private final AdvancedMultiPskStore pskStore = new AdvancedMultiPskStore();
  private final Map<Token, Consumer<Response>> notifications = new ConcurrentHashMap<>();
  private final Executor onContext;
  private ScheduledExecutorService main;
  private ScheduledExecutorService secondary;
  private CoapEndpoint udp;
  private CoapEndpoint dtls;

  /** @param onContext runs notification handlers on the adapter's context */
  CaliforniumClient(CoapAdapterOptions options, Executor onContext) {
    this.options = options;
    this.onContext = onContext;
  }

  /** Californium's configuration for these options: small explicit thread counts, RFC 7252 timers. */
  static Configuration configuration(CoapAdapterOptions o) {
    Configuration c = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
    c.set(CoapConfig.ACK_TIMEOUT, o.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    c.set(CoapConfig.ACK_INIT_RANDOM, (float) o.ackRandomFactor());
    c.set(CoapConfig.ACK_TIMEOUT_SCALE, 2.0f);
    c.set(CoapConfig.MAX_RETRANSMIT, o.maxRetransmit());
    c.set(CoapConfig.MAX_ACK_TIMEOUT, Math.max(60_000L, o.maxTransmitWait().toMillis()), TimeUnit.MILLISECONDS);
    c.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, o.protocolThreads());
    c.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, o.maxBodySize());
    c.set(CoapConfig.PREFERRED_BLOCK_SIZE, o.blockSize());
    c.set(CoapConfig.MAX_MESSAGE_SIZE, o.blockSize());
    c.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
    c.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
    c.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
    c.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
    c.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
    return c;
  }

  /** Binds both endpoints. Blocking. */
  synchronized void start() throws IOException {
    Configuration config = configuration(options);
    main = ExecutorsUtil.newScheduledThreadPool(options.protocolThreads(),
        new DaemonThreadFactory(THREAD_PREFIX + "protocol#"));
    secondary = ExecutorsUtil.newSingleThreadScheduledExecutor(new DaemonThreadFactory(THREAD_PREFIX + "timer#"));
    try {
      udp = new CoapEndpoint.Builder().setConfiguration(config)
          .setInetSocketAddress(new InetSocketAddress(options.bindHost(), 0))
          .setLoggingTag("hearth-coap").build();
      udp.setExecutors(main, secondary);
      udp.addNotificationListener(this::notified);
      udp.start();
      DtlsConnectorConfig dtlsConfig = DtlsConnectorConfig.builder(config)
          .setAddress(new InetSocketAddress(options.bindHost(), 0))
          .setAdvancedPskStore(pskStore)
          .build();
      DTLSConnector connector = new DTLSConnector(dtlsConfig);
      connector.setExecutor(main);
      dtls = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector)
          .setLoggingTag("hearth-coaps").build();
      dtls.setExecutors(main, secondary);
      dtls.addNotificationListener(this::notified);
      dtls.start();
      LOG.info("CoAP client endpoints started [coap: {}, coaps: {}, protocolThreads: {}]", udp.getAddress(),
          dtls.getAddress(), options.protocolThreads());
    } catch (IOException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Stops and destroys both endpoints and shuts the shared threads down. Blocking; idempotent. */
  synchronized void stop() {
    for (Endpoint e : new Endpoint[] {udp, dtls}) {
      if (e != null) {
        try {
          e.stop();
          e.destroy();
        } catch (RuntimeException ex) {
          LOG.warn("CoAP endpoint did not stop cleanly: {}", ex.toString());
        }
      }
    }
    udp = null;
    dtls = null;
    if (main != null) {
      ExecutorsUtil.shutdownExecutorGracefully(1000, main, secondary);
      main = null;
      secondary = null;
      LOG.info("CoAP client endpoints stopped");
    }
  }

  /** The endpoint for a scheme ({@code coap} or {@code coaps}), or null when stopped. */
  synchronized Endpoint endpoint(boolean secure) {
    return secure ? dtls : udp;
  }

  /**
   * Routes the notifications of an observation (Californium hands them to endpoint-level listeners,
   * not to the request's observers) to a handler, by token. The handler runs on the adapter's
   * context; registering may happen on a Californium thread.
   */
  void onNotification(Token token, Consumer<Response> handler) {
    notifications.put(token, handler);
  }

  void removeNotifications(Token token) {
    if (token != null) {
      notifications.remove(token);
    }
  }

  private void notified(Request request, Response response) {
    Consumer<Response> h = notifications.get(response.getToken());
    if (h != null) {
      onContext.execute(() -> h.accept(response));
    }
  }

  /** Where the PSK of each coaps device is kept (thread-safe). */
  AdvancedMultiPskStore pskStore() {
    return pskStore;
  }
}
