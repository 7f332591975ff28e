package io.hearth.gateway.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

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
        .setLabelMatches(routeLabels())
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.EB_ADDRESS,
            Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME));
  }

  /**
   * The {@code route} label as the route template of the API ({@code /api/v1/devices/{id}/commands}).
   * Vert.x labels a request with every route it passed, joined by {@code >}: the {@code /api/v1/}
   * mount (once more after a failure), then the operation's route relative to it
   * ({@code /api/v1/>/devices/:id>/api/v1/}). One rewrite per path of the API document (and the
   * WebSocket) turns any such chain into the template; a request no route matched keeps
   * {@code /api/v1/}. Registered with the backend, so before any meter exists.
   */
  static List<Match> routeLabels() {
    List<String> templates = new ArrayList<>();
    try (InputStream in = Metrics.class.getClassLoader().getResourceAsStream(ApiRouter.DOCUMENT)) {
      if (in != null) {
        io.hearth.gateway.config.Yaml.MAPPER.readTree(in).path("paths").fieldNames().forEachRemaining(templates::add);
      }
    } catch (IOException e) {
      LoggerFactory.getLogger(Metrics.class).warn("route labels left as Vert.x gives them [reason: {}]",
          e.getMessage());
    }
    List<Match> matches = new ArrayList<>();
    for (String template : templates) {
      String vertxPath = template.replaceAll("\\{([^}/]+)}", ":$1");
      matches.add(routeLabel("(?:.*>)?" + Pattern.quote(vertxPath) + "(?:>.*)?", ApiRouter.BASE_PATH + template));
    }
    String ws = ApiRouter.BASE_PATH + "/ws";
    matches.add(routeLabel("(?:.*>)?" + Pattern.quote(ws) + "(?:>.*)?", ws));
    String mount = Pattern.quote(ApiRouter.BASE_PATH + "/");
    matches.add(routeLabel("(?:" + mount + ">)+" + mount, ApiRouter.BASE_PATH + "/")); // no route matched
    return matches;
  }

  private static Match routeLabel(String chain, String template) {
    return new Match().setDomain(MetricsDomain.HTTP_SERVER).setLabel(Label.HTTP_ROUTE.toString())
        .setType(MatchType.REGEX).setValue(chain).setAlias(template);
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
