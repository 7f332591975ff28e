package io.hearth.gateway.command;

import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.hearth.gateway.store.HistoryPoint;
import io.hearth.gateway.store.IdempotencyRecord;
import io.hearth.gateway.store.Store;
import io.hearth.gateway.store.StoredDevice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A map-backed {@link Store} for unit tests. Thread-safe (AsyncStore calls it from worker threads
 * while tests read it). Writes of commands and idempotency keys can be held at a gate to observe
 * what happens before they are durable.
 */
public final class MemoryStore implements Store {
  final Map<String, StoredDevice> devices = new ConcurrentHashMap<>();
  final Set<String> removedConfig = ConcurrentHashMap.newKeySet();
  final Map<String, DeviceStateSnapshot> states = new ConcurrentHashMap<>();
  final Map<String, CommandRecord> commands = new ConcurrentHashMap<>();
  final Map<String, IdempotencyRecord> idempotency = new ConcurrentHashMap<>();
  final Map<String, String> meta = new ConcurrentHashMap<>();

  /** When set, command and idempotency writes wait here (outside any lock) until it opens. */
  volatile CountDownLatch writeGate;
  /** Counted down when a gated write arrives. */
  final CountDownLatch writeArrived = new CountDownLatch(1);

  private void gate() {
    CountDownLatch g = writeGate;
    writeArrived.countDown();
    if (g != null) {
      try {
        if (!g.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("write gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** True if an idempotency key durably names this command. */
  boolean keyNames(String commandId) {
    return idempotency.values().stream().anyMatch(r -> commandId.equals(r.commandId()));
  }

  @Override
  public void open() {}

  @Override
  public List<StoredDevice> loadDevices() {
    return new ArrayList<>(devices.values());
  }

  @Override
  public void upsertDevice(StoredDevice device) {
    devices.put(device.definition().id(), device);
  }

  @Override
  public void deleteDevice(String deviceId, boolean fromConfig) {
    devices.remove(deviceId);
    if (fromConfig) {
      removedConfig.add(deviceId);
    }
  }

  @Override
  public Set<String> removedConfigDevices() {
    return Set.copyOf(removedConfig);
  }

  @Override
  public Map<String, DeviceStateSnapshot> loadStates() {
    return Map.copyOf(states);
  }

  @Override
  public void saveStates(Collection<DeviceStateSnapshot> snapshots) {
    snapshots.forEach(s -> states.put(s.deviceId(), s));
  }

  @Override
  public void appendHistory(Collection<HistoryPoint> points) {}

  @Override
  public List<HistoryPoint> history(String deviceId, String property, Instant from, Instant to, int limit) {
    return List.of();
  }

  @Override
  public void saveCommand(CommandRecord command) {
    gate();
    commands.put(command.commandId(), command);
  }

  @Override
  public Optional<CommandRecord> findCommand(String commandId) {
    return Optional.ofNullable(commands.get(commandId));
  }

  @Override
  public List<CommandRecord> unfinishedCommands() {
    return commands.values().stream().filter(c -> !c.status().isTerminal()).toList();
  }

  @Override
  public int purgeCommands(Instant before) {
    return 0;
  }

  @Override
  public Optional<IdempotencyRecord> findIdempotency(String key) {
    return Optional.ofNullable(idempotency.get(key));
  }

  @Override
  public void saveIdempotency(IdempotencyRecord record) {
    gate();
    idempotency.put(record.key(), record);
  }

  @Override
  public int purgeIdempotency(Instant before) {
    int n = idempotency.size();
    idempotency.values().removeIf(r -> r.createdAt().isBefore(before));
    return n - idempotency.size();
  }

  @Override
  public Optional<String> meta(String key) {
    return Optional.ofNullable(meta.get(key));
  }

  @Override
  public void putMeta(String key, String value) {
    meta.put(key, value);
  }

  @Override
  public void close() {}
}
