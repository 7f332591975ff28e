package io.hearth.gateway.command;

import io.hearth.adapter.DeviceAdapter;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The sends of each device (docs/api.md#pipelining-and-coalescing). Commands to one device leave in
 * the order they were accepted, each once it is durable; a send does not wait for the previous
 * command's reply (MQTT and CoAP keep order on one connection), but at most {@code maxInFlight}
 * commands per device are sent and not yet ended: the rest wait here, in order. A queued {@code set}
 * that a newer {@code set} of the same properties (or more) supersedes before it leaves is taken out
 * ({@link #supersede}); actions are never taken out, and no {@code set} is taken out across an
 * action. Used on the core context only, by {@link CommandService}, which ends what this class takes
 * out and tells it when a command ended ({@link #ended}).
 */
final class SendQueues {

  /** Sends a command whose turn came; called in acceptance order per device. */
  interface Dispatch {
    void send(InFlight f, DeviceAdapter adapter);
  }

  /** A command whose durable write failed: it must end without being sent. */
  interface NotDurable {
    void failed(InFlight f, Throwable cause);
  }

  private final int maxInFlight;
  private final Dispatch dispatch;
  private final NotDurable notDurable;
  private final Map<String, DeviceQueue> byDevice = new HashMap<>();
  private boolean closed;

  /**
   * @param maxInFlight commands per device sent and not yet ended at most
   *     ({@code commands.maxInFlightPerDevice})
   */
  SendQueues(int maxInFlight, Dispatch dispatch, NotDurable notDurable) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.maxInFlight = maxInFlight;
    this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
    this.notDurable = Objects.requireNonNull(notDurable, "notDurable");
  }

  /** One queued command: it leaves once {@code durable} succeeded and its turn came. */
  private record Entry(InFlight f, DeviceAdapter adapter, Future<Void> durable) {}

  private static final class DeviceQueue {
    final ArrayDeque<Entry> queued = new ArrayDeque<>();
    int inFlight;
    boolean pumping;
  }

  /** Queues a command behind the device's earlier ones; it leaves once {@code durable} succeeded. */
  void enqueue(InFlight f, DeviceAdapter adapter, Future<Void> durable) {
    String deviceId = f.command.deviceId();
    byDevice.computeIfAbsent(deviceId, k -> new DeviceQueue()).queued.addLast(new Entry(f, adapter, durable));
    if (durable.isComplete()) {
      pump(deviceId);
    } else {
      durable.onComplete(r -> pump(deviceId));
    }
  }

  /**
   * Takes out the queued, unsent {@code set} commands that a new {@code set} of {@code properties}
   * supersedes: those queued after the device's last queued action, already recorded, whose
   * properties all are among {@code properties}. The caller ends them.
   *
   * <p>Only recorded ones: one whose write is still under way stays, so that in a storm of sets the
   * head of the queue, once recorded, does go out. (Superseding it too would starve the device: each
   * new set would replace one that never got to be durable, and nothing would be sent.)
   */
  List<InFlight> supersede(String deviceId, Set<String> properties) {
    DeviceQueue q = byDevice.get(deviceId);
    if (q == null || properties.isEmpty()) {
      return List.of();
    }
    List<InFlight> out = new ArrayList<>();
    for (Iterator<Entry> it = q.queued.descendingIterator(); it.hasNext(); ) {
      Entry e = it.next();
      InFlight f = e.f;
      if (f.command.isAction()) {
        break; // order kept across an action
      }
      if (e.durable.succeeded() && properties.containsAll(f.command.set().keySet())) {
        out.add(f);
        it.remove();
      }
    }
    return out;
  }

  /** A command ended (whatever the status): its place in flight, or in the queue, is freed. */
  void ended(InFlight f) {
    String deviceId = f.command.deviceId();
    DeviceQueue q = byDevice.get(deviceId);
    if (q == null) {
      return;
    }
    if (f.sendStarted) {
      q.inFlight--;
    } else {
      q.queued.removeIf(e -> e.f == f);
    }
    pump(deviceId);
  }

  /** Commands of {@code deviceId} sent and not yet ended. */
  int inFlight(String deviceId) {
    DeviceQueue q = byDevice.get(deviceId);
    return q == null ? 0 : q.inFlight;
  }

  /** Commands of {@code deviceId} recorded and waiting for their turn (they may be superseded). */
  int waitingRecorded(String deviceId) {
    DeviceQueue q = byDevice.get(deviceId);
    return q == null ? 0 : (int) q.queued.stream().filter(e -> e.durable.succeeded()).count();
  }

  /** At shutdown: nothing more leaves (what is queued ends with the in-flight commands). */
  void close() {
    closed = true;
  }

  private void pump(String deviceId) {
    DeviceQueue q = byDevice.get(deviceId);
    if (q == null || q.pumping) {
      return; // a send that ended at once, inside the loop below: the loop goes on
    }
    q.pumping = true;
    try {
      while (!closed && q.inFlight < maxInFlight && !q.queued.isEmpty()) {
        Entry head = q.queued.peekFirst();
        if (!head.durable.isComplete()) {
          break; // its write completes in order: the next ones wait behind it
        }
        q.queued.pollFirst();
        if (head.durable.failed()) {
          notDurable.failed(head.f, head.durable.cause());
          continue;
        }
        q.inFlight++;
        head.f.sendStarted = true;
        dispatch.send(head.f, head.adapter);
      }
    } finally {
      q.pumping = false;
    }
    if (q.queued.isEmpty() && q.inFlight == 0) {
      byDevice.remove(deviceId);
    }
  }
}
