package io.hearth.gateway.events;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers and fans out gateway events. Publishing happens on the core context; listeners are
 * called in order, synchronously, and must not block (a WebSocket connection only enqueues).
 */
public final class EventHub {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  private final Clock clock;
  private final List<Consumer<GatewayEvent>> listeners = new CopyOnWriteArrayList<>();
  private long seq;

  /**
   * @param clock    time source
   * @param lastSeq  the last seq handed out before (persisted), so seq keeps growing across restarts
   */
  public EventHub(Clock clock, long lastSeq) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seq = lastSeq;
  }

  /** Publishes an event and returns it with its seq. */
  public GatewayEvent publish(String kind, String deviceId, Map<String, Object> data) {
    GatewayEvent event = new GatewayEvent(++seq, kind, deviceId, clock.instant(), data);
    for (Consumer<GatewayEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("event listener failed [seq: {}, kind: {}]", event.seq(), kind, e);
      }
    }
    return event;
  }

  /** The latest seq handed out. */
  public long lastSeq() {
    return seq;
  }

  public void addListener(Consumer<GatewayEvent> listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  public void removeListener(Consumer<GatewayEvent> listener) {
    listeners.remove(listener);
  }
}
