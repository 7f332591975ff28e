package io.hearth.gateway.broker;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what the embedded broker refused, kept across broker restarts; published as
 * Prometheus counters by {@link BrokerMeters} (docs/broker.md). Thread-safe.
 */
public final class BrokerStats {

  private final LongAdder publishesDenied = new LongAdder();
  private final LongAdder publishesRateLimited = new LongAdder();
  private final LongAdder subscriptionsDenied = new LongAdder();
  private final LongAdder connectionsRefused = new LongAdder();
  private final LongAdder clientsDisconnected = new LongAdder();

  /** PUBLISH packets dropped because the topic is outside the client's ACL. */
  public long publishesDenied() {
    return publishesDenied.sum();
  }

  /** PUBLISH packets dropped by the per-client incoming rate limit. */
  public long publishesRateLimited() {
    return publishesRateLimited.sum();
  }

  /** Topic filters of SUBSCRIBE packets refused. */
  public long subscriptionsDenied() {
    return subscriptionsDenied.sum();
  }

  /** CONNECTs refused (credentials, anonymous, will outside the ACL, authorizer failure). */
  public long connectionsRefused() {
    return connectionsRefused.sum();
  }

  void publishDenied() {
    publishesDenied.increment();
  }

  void publishRateLimited() {
    publishesRateLimited.increment();
  }

  void subscriptionDenied() {
    subscriptionsDenied.increment();
  }

  /** Clients the broker itself disconnected (packet too large, protocol error, session taken over). */
  public long clientsDisconnected() {
    return clientsDisconnected.sum();
  }

  void clientDisconnected() {
    clientsDisconnected.increment();
  }

  void connectionRefused() {
    connectionsRefused.increment();
  }
}
