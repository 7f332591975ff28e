package io.hearth.sim;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the simulator runs.
 *
 * @param mqttUrl                 broker URL, {@code tcp://host:port}
 * @param coapBasePort            first loopback port for CoAP devices (not used yet)
 * @param connectConcurrency      at most this many MQTT connects in flight at once
 * @param threads                 event-loop threads shared by all devices
 * @param defaultReportIntervalMs periodic report interval of devices that set none
 * @param keepAliveSeconds        MQTT keep-alive of every device
 * @param startTimeout            {@link Simulator#start} fails when devices are not up by then
 */
public record SimOptions(String mqttUrl, int coapBasePort, int connectConcurrency, int threads,
    long defaultReportIntervalMs, int keepAliveSeconds, Duration startTimeout) {

  public SimOptions {
    Objects.requireNonNull(mqttUrl, "mqttUrl");
    Objects.requireNonNull(startTimeout, "startTimeout");
    URI uri = URI.create(mqttUrl);
    if (!"tcp".equals(uri.getScheme()) && !"mqtt".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("mqttUrl must look like tcp://host:port: " + mqttUrl);
    }
    if (connectConcurrency < 1 || threads < 1 || defaultReportIntervalMs < 1 || keepAliveSeconds < 1) {
      throw new IllegalArgumentException("connectConcurrency, threads, defaultReportIntervalMs and "
          + "keepAliveSeconds must be positive");
    }
  }

  /** Defaults: 100 connects in flight, 2 threads, reports every 30 s, keep-alive 60 s, 60 s to start. */
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
        keepAliveSeconds, startTimeout);
  }

  public SimOptions withConnectConcurrency(int n) {
    return new SimOptions(mqttUrl, coapBasePort, n, threads, defaultReportIntervalMs, keepAliveSeconds,
        startTimeout);
  }

  public SimOptions withDefaultReportIntervalMs(long ms) {
    return new SimOptions(mqttUrl, coapBasePort, connectConcurrency, threads, ms, keepAliveSeconds,
        startTimeout);
  }

  public SimOptions withCoapBasePort(int port) {
    return new SimOptions(mqttUrl, port, connectConcurrency, threads, defaultReportIntervalMs,
        keepAliveSeconds, startTimeout);
  }

  public SimOptions withStartTimeout(Duration timeout) {
    return new SimOptions(mqttUrl, coapBasePort, connectConcurrency, threads, defaultReportIntervalMs,
        keepAliveSeconds, timeout);
  }
}
