package io.hearth.adapter.coap;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the CoAP adapter (Californium client endpoints).
 *
 * @param bindHost        local address the client endpoints bind to (port chosen by the OS)
 * @param ackTimeout      RFC 7252 ACK_TIMEOUT (default 2 s)
 * @param ackRandomFactor RFC 7252 ACK_RANDOM_FACTOR (default 1.5)
 * @param maxRetransmit   RFC 7252 MAX_RETRANSMIT (default 4)
 * @param protocolThreads Californium protocol-stage threads, shared by both endpoints (default 1)
 * @param maxBodySize     largest body reassembled from blocks (default 256 KiB)
 * @param blockSize       preferred block size and largest single message (default 1024)
 * @param observeGrace    how long after a notification's Max-Age has lapsed the gateway re-registers
 *                        its observation (default 5 s)
 * @param retryMin        first retry delay of a failed observation (default 1 s); doubles up to
 * @param retryMax        the longest retry delay (default 60 s)
 * @param refusedRetryMax the longest retry delay of an observation the device answered with an
 *                        error, such as 4.04 from a device without {@code /events} (default 10 min);
 *                        delays double from {@code retryMin} up to it
 */
public record CoapAdapterOptions(
    String bindHost,
    Duration ackTimeout,
    double ackRandomFactor,
    int maxRetransmit,
    int protocolThreads,
    int maxBodySize,
    int blockSize,
    Duration observeGrace,
    Duration retryMin,
    Duration retryMax,
    Duration refusedRetryMax) {

  /** Default of {@link #refusedRetryMax()}. */
  public static final Duration DEFAULT_REFUSED_RETRY_MAX = Duration.ofMinutes(10);

  public CoapAdapterOptions {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(ackTimeout, "ackTimeout");
    Objects.requireNonNull(observeGrace, "observeGrace");
    Objects.requireNonNull(retryMin, "retryMin");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(refusedRetryMax, "refusedRetryMax");
    if (ackTimeout.toMillis() < 10) {
      throw new IllegalArgumentException("ackTimeout must be at least 10 ms");
    }
    if (ackRandomFactor < 1.0 || ackRandomFactor > 4.0) {
      throw new IllegalArgumentException("ackRandomFactor must be 1.0–4.0");
    }
    if (maxRetransmit < 0 || maxRetransmit > 10) {
      throw new IllegalArgumentException("maxRetransmit must be 0–10");
    }
    if (protocolThreads < 1 || protocolThreads > 8) {
      throw new IllegalArgumentException("protocolThreads must be 1–8");
    }
    if (blockSize != 16 && blockSize != 32 && blockSize != 64 && blockSize != 128 && blockSize != 256
        && blockSize != 512 && blockSize != 1024) {
      throw new IllegalArgumentException("blockSize must be a power of two 16–1024");
    }
    if (maxBodySize < blockSize) {
      throw new IllegalArgumentException("maxBodySize must be ≥ blockSize");
    }
    if (retryMax.compareTo(retryMin) < 0 || retryMin.isNegative() || retryMin.isZero()) {
      throw new IllegalArgumentException("retry delays must be positive, retryMax ≥ retryMin");
    }
    if (refusedRetryMax.compareTo(retryMin) < 0) {
      throw new IllegalArgumentException("refusedRetryMax must be ≥ retryMin");
    }
  }

  /** Every default (RFC 7252 transmission parameters, one protocol thread). */
  public static CoapAdapterOptions defaults() {
    return new CoapAdapterOptions("0.0.0.0", Duration.ofSeconds(2), 1.5, 4, 1, 256 * 1024, 1024,
        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60), DEFAULT_REFUSED_RETRY_MAX);
  }

  /** A copy with other transmission parameters. */
  public CoapAdapterOptions withTransmission(Duration newAckTimeout, double newRandomFactor, int newMaxRetransmit) {
    return new CoapAdapterOptions(bindHost, newAckTimeout, newRandomFactor, newMaxRetransmit, protocolThreads,
        maxBodySize, blockSize, observeGrace, retryMin, retryMax, refusedRetryMax);
  }

  /** A copy with other observation timings ({@code refusedRetryMax} at least the new {@code retryMax}). */
  public CoapAdapterOptions withObserve(Duration newGrace, Duration newRetryMin, Duration newRetryMax) {
    return new CoapAdapterOptions(bindHost, ackTimeout, ackRandomFactor, maxRetransmit, protocolThreads, maxBodySize,
        blockSize, newGrace, newRetryMin, newRetryMax,
        refusedRetryMax.compareTo(newRetryMax) < 0 ? newRetryMax : refusedRetryMax);
  }

  /** A copy with another longest retry delay for observations the device refused. */
  public CoapAdapterOptions withRefusedRetryMax(Duration newRefusedRetryMax) {
    return new CoapAdapterOptions(bindHost, ackTimeout, ackRandomFactor, maxRetransmit, protocolThreads, maxBodySize,
        blockSize, observeGrace, retryMin, retryMax, newRefusedRetryMax);
  }

  /** A copy with another bind address. */
  public CoapAdapterOptions withBindHost(String newBindHost) {
    return new CoapAdapterOptions(newBindHost, ackTimeout, ackRandomFactor, maxRetransmit, protocolThreads,
        maxBodySize, blockSize, observeGrace, retryMin, retryMax, refusedRetryMax);
  }

  /**
   * RFC 7252 MAX_TRANSMIT_SPAN: the longest time from the first transmission of a confirmable
   * message to its last retransmission, {@code ACK_TIMEOUT × (2^MAX_RETRANSMIT − 1) × ACK_RANDOM_FACTOR}.
   */
  public Duration maxTransmitSpan() {
    return Duration.ofMillis(Math.round(ackTimeout.toMillis() * ((1L << maxRetransmit) - 1) * ackRandomFactor));
  }

  /**
   * RFC 7252 MAX_TRANSMIT_WAIT: the longest time from the first transmission until the sender
   * gives up, {@code ACK_TIMEOUT × (2^(MAX_RETRANSMIT + 1) − 1) × ACK_RANDOM_FACTOR}.
   */
  public Duration maxTransmitWait() {
    return Duration.ofMillis(Math.round(ackTimeout.toMillis() * ((1L << (maxRetransmit + 1)) - 1) * ackRandomFactor));
  }
}
