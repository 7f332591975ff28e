package io.hearth.gateway.broker;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The embedded broker's Prometheus counters (listed in docs/broker.md and docs/api.md), read from
 * its {@link BrokerStats} when scraped.
 */
public final class BrokerMeters {

  private BrokerMeters() {}

  /** Registers the counters; returns them so they can be removed again. */
  public static List<Meter> register(MeterRegistry meters, BrokerStats stats) {
    return List.of(
        FunctionCounter.builder("hearth_broker_publishes_dropped", stats, BrokerStats::publishesDenied)
            .tag("reason", "not_authorized")
            .description("device publishes the embedded broker dropped, by reason").register(meters),
        FunctionCounter.builder("hearth_broker_publishes_dropped", stats, BrokerStats::publishesRateLimited)
            .tag("reason", "rate_limited")
            .description("device publishes the embedded broker dropped, by reason").register(meters),
        FunctionCounter.builder("hearth_broker_subscriptions_refused", stats, BrokerStats::subscriptionsDenied)
            .description("topic filters the embedded broker refused to a client").register(meters),
        FunctionCounter.builder("hearth_broker_connections_refused", stats, BrokerStats::connectionsRefused)
            .description("CONNECTs the embedded broker refused").register(meters),
        FunctionCounter.builder("hearth_broker_clients_disconnected", stats, BrokerStats::clientsDisconnected)
            .description("clients the embedded broker itself disconnected (packet too large, protocol error, "
                + "session taken over)").register(meters));
  }
}
