package io.hearth.gateway.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;
import java.util.Objects;

/**
 * Prometheus metrics of the gateway through vertx-micrometer-metrics.
 *
 * <p>Enable at Vert.x creation: {@code Vertx.vertx(Metrics.vertxOptions(new VertxOptions()))}.
 * Vert.x then records its own meters (HTTP server requests as
 * {@code vertx_http_server_requests_total{method,code,route}} and
 * {@code vertx_http_server_response_time_seconds}, event bus, pools) in one
 * {@link PrometheusMeterRegistry} named {@value #REGISTRY_NAME}; the gateway registers its own
 * meters on {@link #meterRegistry()}. {@link #handler()} serves GET /api/v1/metrics (operationId
 * {@code metrics}). Labels are bounded: the matched route template, never the raw path.
 */
public final class Metrics {
  /** Name of the registry in vertx-micrometer's {@link BackendRegistries}. */
  public static final String REGISTRY_NAME = "hearth";

  private Metrics() {
  }

  /** Metrics options: Prometheus backend, HTTP method/code/route labels. */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(REGISTRY_NAME)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.EB_ADDRESS,
            Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME));
  }

  /** A copy of {@code base} with {@link #options()} as its metrics options. */
  public static VertxOptions vertxOptions(VertxOptions base) {
    return new VertxOptions(Objects.requireNonNull(base, "base")).setMetricsOptions(options());
  }

  /**
   * The registry of a Vert.x created with {@link #vertxOptions}.
   *
   * @throws IllegalStateException when no such Vert.x is running
   */
  public static PrometheusMeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getNow(REGISTRY_NAME);
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      throw new IllegalStateException("metrics are not enabled: create Vert.x with Metrics.vertxOptions(...)");
    }
    return prometheus;
  }

  /** Where the gateway registers its own meters (same registry as {@link #registry()}). */
  public static MeterRegistry meterRegistry() {
    return registry();
  }

  /** Serves the registry in the Prometheus text format. */
  public static Handler<RoutingContext> handler() {
    return PrometheusScrapingHandler.create(REGISTRY_NAME);
  }
}
