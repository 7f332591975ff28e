package io.hearth.sim;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the simulator runs.
 *
 * @param mqttUrl                 broker URL, {@code tcp://host:port} (unused when there is no MQTT device)
 * @param coapBasePort            CoAP devices without a {@code binding.uri} listen on
 *                                {@code 127.0.0.1:coapBasePort + i}, i counting those devices from 0;
 *                                0 gives each such device a free port of the OS's choosing
 * @param connectConcurrency      at most this many MQTT connects (or CoAP binds) in flight at once
 * @param threads                 event-loop threads shared by all devices (MQTT connections, CoAP
 *                                datagrams, device logic and timers)
 * @param defaultReportIntervalMs periodic report interval of devices that set none
 * @param keepAliveSeconds        MQTT keep-alive of every device
 * @param startTimeout            {@link Simulator#start} fails when devices are not up by then
 * @param coapThreads             Californium protocol threads shared by all CoAP devices
 * @param coapRdUri               CoRE Resource Directory every CoAP device registers with at start
 *                                ({@code coap://host:port}, RFC 9176), or null for none
 * @param coapRdLifetimeSeconds   registration lifetime ({@code lt}); refreshed before it lapses
 */
public record SimOptions(String mqttUrl, int coapBasePort, int connectConcurrency, int threads,
    long defaultReportIntervalMs, int keepAliveSeconds, Duration startTimeout, int coapThreads,
    String coapRdUri, int coapRdLifetimeSeconds) {

  public SimOptions {
    Objects.requireNonNull(mqttUrl, "mqttUrl");
    Objects.requireNonNull(startTimeout, "startTimeout");
    URI uri = URI.create(mqttUrl);
    if (!"tcp".equals(uri.getScheme()) && !"mqtt".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("mqttUrl must look like tcp://host:port: " + mqttUrl);
    }
    if (connectConcurrency < 1 || threads < 1 || defaultReportIntervalMs < 1 || keepAliveSeconds < 1
        || coapThreads < 1 || coapRdLifetimeSeconds < 1) {
      throw new IllegalArgumentException("connectConcurrency, threads, defaultReportIntervalMs, "
          + "keepAliveSeconds, coapThreads and coapRdLifetimeSeconds must be positive");
    }
    if (coapBasePort < 0 || coapBasePort > 65535) {
      throw new IllegalArgumentException("coapBasePort must be within 0..65535: " + coapBasePort);
    }
    if (coapRdUri != null) {
      URI rd = URI.create(coapRdUri);
      if (!"coap".equals(rd.getScheme()) || rd.getHost() == null) {
        throw new IllegalArgumentException("coapRdUri must look like coap://host:port: " + coapRdUri);
      }
    }
  }

  /** Options without CoAP specifics (the MQTT-era constructor): 2 CoAP threads, no RD. */
  public SimOptions(String mqttUrl, int coapBasePort, int connectConcurrency, int threads,
      long defaultReportIntervalMs, int keepAliveSeconds, Duration startTimeout) {
    this(mqttUrl, coapBasePort, connectConcurrency, threads, defaultReportIntervalMs, keepAliveSeconds,
        startTimeout, 2, null, 300);
  }

  /**
   * Defaults: CoAP ports from 5700, 100 connects in flight, 2 threads, reports every 30 s,
   * keep-alive 60 s, 60 s to start, 2 CoAP threads, no resource directory (lifetime 300 s if set).
   */
  public static SimOptions defaults(String mqttUrl) {
    return new SimOptions(mqttUrl, 5700, 100, 2, 30_000, 60, Duration.ofSeconds(60));
  }

  public String mqttHost() {
    return URI.create(mqttUrl).getHost();
  }

  public int mqttPort() {
    int port = URI.create(mqttUrl).getPort();
    return port < 0 ? 1883 : port;
  }

  public SimOptions withThreads(int n) {
    return new SimOptions(mqttUrl, coapBasePort, connectConcurrency, n, defaultReportIntervalMs,
        keepAliveSeconds, startTimeout, coapThreads, coapRdUri, coapRdLifetimeSeconds);
  }

  public SimOptions withConnectConcurrency(int n) {
    return new SimOptions(mqttUrl, coapBasePort, n, threads, defaultReportIntervalMs, keepAliveSeconds,
        startTimeout, coapThreads, coapRdUri, coapRdLifetimeSeconds);
  }

  public SimOptions withDefaultReportIntervalMs(long ms) {
    return new SimOptions(mqttUrl, coapBasePort, connectConcurrency, threads, ms, keepAliveSeconds,
        startTimeout, coapThreads, coapRdUri, coapRdLifetimeSeconds);
  }

  public SimOptions withCoapBasePort(int port) {
    return new SimOptions(mqttUrl, port, connectConcurrency, threads, defaultReportIntervalMs,
        keepAliveSeconds, startTimeout, coapThreads, coapRdUri, coapRdLifetimeSeconds);
  }

  public SimOptions withStartTimeout(Duration timeout) {
    return new SimOptions(mqttUrl, coapBasePort, connectConcurrency, threads, defaultReportIntervalMs,
        keepAliveSeconds, timeout, coapThreads, coapRdUri, coapRdLifetimeSeconds);
  }

  public SimOptions withCoapThreads(int n) {
    return new SimOptions(mqttUrl, coapBasePort, connectConcurrency, threads, defaultReportIntervalMs,
        keepAliveSeconds, startTimeout, n, coapRdUri, coapRdLifetimeSeconds);
  }

  /** Every CoAP device registers with this resource directory (null: none) for {@code lifetimeSeconds}. */
  public SimOptions withCoapRd(String rdUri, int lifetimeSeconds) {
    return new SimOptions(mqttUrl, coapBasePort, connectConcurrency, threads, defaultReportIntervalMs,
        keepAliveSeconds, startTimeout, coapThreads, rdUri, lifetimeSeconds);
  }
}
