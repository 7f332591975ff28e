package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-client token bucket on incoming PUBLISH bytes: one instance per connection (HiveMQ CE only
 * throttles the broker's total incoming bandwidth). A publish that finds the bucket short is
 * dropped, answered with QUOTA_EXCEEDED on QoS 1/2 under MQTT 5 and acknowledged as usual under
 * MQTT 3 (HiveMQ disconnects an MQTT 3 client for any other reason code), so a flooding client
 * cannot fill the broker's queues whatever it sends. Drops are counted in {@link BrokerStats}.
 */
final class ClientPublishLimiter implements PublishInboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(ClientPublishLimiter.class);
  /** Rough fixed header + packet id + property overhead of one PUBLISH. */
  private static final int OVERHEAD = 8;
  /** At most one warning per client per this period, counting the drops in between. */
  private static final long WARN_PERIOD_NANOS = 10_000_000_000L;

  private final String clientId;
  private final long bytesPerSecond;
  private final double capacity;
  private final LongSupplier nanoClock;
  private final BrokerStats stats;
  private double tokens;
  private long lastRefill;
  private long dropped;
  private long lastWarn;

  ClientPublishLimiter(
      String clientId, long bytesPerSecond, int maxPacketSize, LongSupplier nanoClock, BrokerStats stats) {
    this.clientId = clientId;
    this.stats = stats;
    this.bytesPerSecond = bytesPerSecond;
    this.capacity = Math.max(bytesPerSecond, maxPacketSize);
    this.nanoClock = nanoClock;
    this.tokens = capacity;
    this.lastRefill = nanoClock.getAsLong();
    this.lastWarn = lastRefill - WARN_PERIOD_NANOS;
  }

  @Override
  public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
    PublishPacket publish = input.getPublishPacket();
    long size =
        OVERHEAD
            + publish.getTopic().length()
            + publish.getPayload().map(p -> (long) p.remaining()).orElse(0L);
    if (!tryAcquire(size)) {
      stats.publishRateLimited();
      if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
        output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, "incoming rate limit exceeded");
      } else {
        output.preventPublishDelivery();
      }
    }
  }

  /** Takes {@code bytes} from the bucket if it holds them. */
  synchronized boolean tryAcquire(long bytes) {
    long now = nanoClock.getAsLong();
    // in double: the product of a long idle time in nanoseconds and the rate overflows a long (at
    // 256 KiB/s after ~10 h of silence), which left a quiet device's bucket deeply negative
    double idleSeconds = (now - lastRefill) / 1e9;
    tokens = Math.min(capacity, tokens + idleSeconds * bytesPerSecond);
    lastRefill = now;
    if (tokens >= bytes) {
      tokens -= bytes;
      return true;
    }
    dropped++;
    if (now - lastWarn >= WARN_PERIOD_NANOS) {
      log.warn(
          "client exceeds its publish rate, dropping publishes [client: {}, limit: {} B/s, "
              + "dropped: {}]",
          clientId,
          bytesPerSecond,
          dropped);
      dropped = 0;
      lastWarn = now;
    }
    return false;
  }
}
