package io.hearth.gateway.config;

import java.util.Objects;

/**
 * Every bound and timing a user may tune, grouped by what it protects (docs/configuration.md,
 * "Limits and timings"). Loaded and range-checked by {@link LimitKeys}; the defaults are the values
 * the code used before they became keys.
 *
 * @param rates     {@code rateLimits.*}: pairing and token refresh rate limits of the app API
 * @param ws        {@code websocket.*}: the app WebSocket's queue, frame, idle and admission bounds
 * @param events    {@code events.*}: the event log's size
 * @param broker    {@code mqtt.embedded.*} limits of the embedded broker
 * @param coap      {@code coap.*} transmission and observation timings of the CoAP adapter
 * @param transport {@code mqtt.*} and {@code http.*} timings of the gateway's own links
 * @param lifetimes {@code auth.*}, {@code commands.retentionDays} and {@code shutdown.*}: how long
 *                  tokens, invites and finished commands live, and how long a stop may take
 * @param input     {@code http.maxJson*} and {@code coap.maxRegistrations}: bounds of what clients send
 */
public record Limits(RateLimits rates, WsLimits ws, EventLimits events, BrokerLimits broker, CoapTimings coap,
    TransportTimings transport, Lifetimes lifetimes, InputBounds input) {

  public static final Limits DEFAULTS = new Limits(RateLimits.DEFAULTS, WsLimits.DEFAULTS, EventLimits.DEFAULTS,
      BrokerLimits.DEFAULTS, CoapTimings.DEFAULTS, TransportTimings.DEFAULTS, Lifetimes.DEFAULTS,
      InputBounds.DEFAULTS);

  public Limits {
    Objects.requireNonNull(rates, "rates");
    Objects.requireNonNull(ws, "ws");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(coap, "coap");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(lifetimes, "lifetimes");
    Objects.requireNonNull(input, "input");
  }

  /** A copy with other WebSocket bounds. */
  public Limits withWs(WsLimits newWs) {
    return new Limits(rates, newWs, events, broker, coap, transport, lifetimes, input);
  }

  /** A copy with other rate limits. */
  public Limits withRates(RateLimits newRates) {
    return new Limits(newRates, ws, events, broker, coap, transport, lifetimes, input);
  }

  /** A copy with other embedded broker limits. */
  public Limits withBroker(BrokerLimits newBroker) {
    return new Limits(rates, ws, events, newBroker, coap, transport, lifetimes, input);
  }

  /** A copy with other lifetimes. */
  public Limits withLifetimes(Lifetimes newLifetimes) {
    return new Limits(rates, ws, events, broker, coap, transport, newLifetimes, input);
  }

  /** A copy with other input bounds. */
  public Limits withInput(InputBounds newInput) {
    return new Limits(rates, ws, events, broker, coap, transport, lifetimes, newInput);
  }

  /**
   * {@code rateLimits.*}: token buckets (burst at once, then so many per minute).
   *
   * @param pairingPerAddressPerMinute {@code POST /auth/pair} per remote address
   * @param pairingPerAddressBurst     its burst
   * @param pairingPerMinute           {@code POST /auth/pair} of every address together (a guess farm)
   * @param pairingBurst               its burst
   * @param refreshPerAddressPerMinute {@code POST /auth/refresh} per remote address
   * @param refreshPerAddressBurst     its burst
   */
  public record RateLimits(int pairingPerAddressPerMinute, int pairingPerAddressBurst, int pairingPerMinute,
      int pairingBurst, int refreshPerAddressPerMinute, int refreshPerAddressBurst) {
    public static final RateLimits DEFAULTS = new RateLimits(5, 5, 30, 10, 60, 10);
  }

  /**
   * {@code websocket.*}: see {@code ws.WsOptions} for each bound's effect.
   */
  public record WsLimits(int idleTimeoutMs, int authTimeoutMs, int maxFrameBytes, int maxMessageBytes,
      int maxQueuedMessages, int maxQueuedBytes, int writeQueueBytes, int maxSubscriptions, int maxConnections,
      int maxUnauthenticated, int maxPerUser, int sendBufferBytes) {
    public static final WsLimits DEFAULTS = new WsLimits(60_000, 5_000, 64 * 1024, 64 * 1024, 1_000, 1024 * 1024,
        64 * 1024, 16, 512, 32, 16, 0);
  }

  /**
   * {@code events.*}: the event log (docs/websocket.md, "Resuming").
   *
   * @param maxEvents       events kept in the store (the newest)
   * @param maxAgeHours     events older than this are purged
   * @param memoryEvents    newest events also kept in memory for replays
   * @param flushIntervalMs how often new events are written to the store in one batch
   */
  public record EventLimits(int maxEvents, int maxAgeHours, int memoryEvents, int flushIntervalMs) {
    public static final EventLimits DEFAULTS = new EventLimits(100_000, 24, 10_000, 1_000);
  }

  /**
   * {@code mqtt.embedded.*} limits (docs/broker.md, "Limits").
   *
   * @param maxClients                  simultaneous client connections
   * @param maxPacketBytes              largest MQTT packet a client may send (larger: disconnected)
   * @param clientPublishBytesPerSecond PUBLISH bytes per second one client may send (more: dropped)
   * @param totalPublishBytesPerSecond  bytes per second read from all clients together (0: no ceiling)
   * @param maxQueuedMessagesPerClient  messages held for one offline or slow client
   * @param receiveMaximum              QoS 1/2 publishes one client may have in flight to the broker
   * @param sessionExpiryMaxSeconds     longest session expiry a client may ask for
   */
  public record BrokerLimits(int maxClients, int maxPacketBytes, int clientPublishBytesPerSecond,
      int totalPublishBytesPerSecond, int maxQueuedMessagesPerClient, int receiveMaximum,
      long sessionExpiryMaxSeconds) {
    public static final BrokerLimits DEFAULTS = new BrokerLimits(20_000, 256 * 1024, 256 * 1024, 16 * 1024 * 1024,
        1_000, 1_000, 7 * 24 * 3600L);
  }

  /**
   * {@code coap.*} timings of the CoAP adapter (RFC 7252 transmission parameters, observations).
   *
   * @param ackTimeoutMs             ACK_TIMEOUT
   * @param ackRandomFactor          ACK_RANDOM_FACTOR
   * @param maxRetransmit            MAX_RETRANSMIT
   * @param observeGraceMs           after a notification's Max-Age lapsed, when the observation is renewed
   * @param observeRetryMinMs        first retry delay of a failed observation (doubling)
   * @param observeRetryMaxMs        longest retry delay of a failed observation
   * @param observeRefusedRetryMaxMs longest retry delay of an observation the device refused (a
   *                                 device without {@code /events})
   */
  public record CoapTimings(int ackTimeoutMs, double ackRandomFactor, int maxRetransmit, int observeGraceMs,
      int observeRetryMinMs, int observeRetryMaxMs, int observeRefusedRetryMaxMs) {
    public static final CoapTimings DEFAULTS = new CoapTimings(2_000, 1.5, 4, 5_000, 1_000, 60_000, 600_000);
  }

  /**
   * Timings of the gateway's own links.
   *
   * @param mqttReconnectMinDelayMs first retry delay after the gateway's MQTT link failed (doubling)
   * @param mqttReconnectMaxDelayMs longest retry delay
   * @param mqttMaxInflight         QoS 1 commands awaiting PUBACK at once on the gateway's link
   * @param httpIdleTimeoutSeconds  an HTTP connection idle this long is closed
   */
  public record TransportTimings(int mqttReconnectMinDelayMs, int mqttReconnectMaxDelayMs, int mqttMaxInflight,
      int httpIdleTimeoutSeconds) {
    public static final TransportTimings DEFAULTS = new TransportTimings(500, 30_000, 1_000, 120);
  }

  /**
   * How long things live (docs/configuration.md, "Limits and timings").
   *
   * @param accessTokenMinutes     {@code auth.accessTokenMinutes}: an access token's lifetime
   * @param refreshTokenDays       {@code auth.refreshTokenDays}: a refresh token's (renewed by each refresh)
   * @param inviteHours            {@code auth.inviteHours}: an invite code's
   * @param commandRetentionDays   {@code commands.retentionDays}: finished commands kept for {@code GET /commands/{id}}
   * @param shutdownTimeoutSeconds {@code shutdown.timeoutSeconds}: the whole stop (SIGTERM), then the JVM exits anyway
   * @param httpGraceSeconds       {@code shutdown.httpGraceSeconds}: HTTP exchanges under way at a stop may finish
   */
  public record Lifetimes(int accessTokenMinutes, int refreshTokenDays, int inviteHours, int commandRetentionDays,
      int shutdownTimeoutSeconds, int httpGraceSeconds) {
    public static final Lifetimes DEFAULTS = new Lifetimes(15, 30, 24, 7, 60, 5);
  }

  /**
   * Bounds of what clients send, on top of {@code http.maxBodyBytes}.
   *
   * @param maxJsonDepth        {@code http.maxJsonDepth}: deepest nesting of a JSON request body
   * @param maxJsonStringLength {@code http.maxJsonStringLength}: longest JSON string or field name, in chars
   * @param maxJsonNumberLength {@code http.maxJsonNumberLength}: longest JSON number literal, in chars
   * @param coapMaxRegistrations {@code coap.maxRegistrations}: registrations the resource directory holds at once
   */
  public record InputBounds(int maxJsonDepth, int maxJsonStringLength, int maxJsonNumberLength,
      int coapMaxRegistrations) {
    public static final InputBounds DEFAULTS = new InputBounds(32, 16 * 1024, 100, 1000);
  }
}
