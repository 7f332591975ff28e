package io.hearth.gateway.command;

import io.hearth.gateway.store.AuthStore;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStore;
import io.hearth.gateway.store.DeviceStore;
import io.hearth.gateway.store.EventStore;
import io.hearth.gateway.store.IdempotencyRecord;
import io.hearth.gateway.store.MetaStore;
import io.hearth.gateway.store.StateStore;
import io.hearth.gateway.store.Store;
import io.hearth.gateway.store.StoredDevice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A map-backed {@link Store} for unit tests that keeps devices, commands and idempotency keys; its
 * other concerns refuse (tests that need them use {@code SqliteStore} on a temp dir). Thread-safe
 * (AsyncStore calls it from worker threads while tests read it). Writes of commands and
 * idempotency keys can be held at a gate to observe what happens before they are durable.
 */
public final class MemoryStore implements Store {
  final Map<String, StoredDevice> devices = new ConcurrentHashMap<>();
  final Set<String> removedConfig = ConcurrentHashMap.newKeySet();
  final Map<String, CommandRecord> commands = new ConcurrentHashMap<>();
  final Map<String, IdempotencyRecord> idempotency = new ConcurrentHashMap<>();
  private final DeviceStore deviceStore = new Devices();
  private final CommandStore commandStore = new Commands();

  /** When set, command and idempotency writes wait here (outside any lock) until it opens. */
  volatile CountDownLatch writeGate;
  /** When set, every command save fails with it (a full disk, as SqliteDb reports one). */
  volatile io.hearth.gateway.store.StoreUnavailableException failCommandSaves;
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
  public DeviceStore devices() {
    return deviceStore;
  }

  @Override
  public CommandStore commands() {
    return commandStore;
  }

  @Override
  public StateStore states() {
    throw new UnsupportedOperationException("MemoryStore keeps no state");
  }

  @Override
  public EventStore events() {
    throw new UnsupportedOperationException("MemoryStore keeps no events");
  }

  @Override
  public AuthStore auth() {
    throw new UnsupportedOperationException("MemoryStore keeps no users");
  }

  @Override
  public MetaStore meta() {
    throw new UnsupportedOperationException("MemoryStore keeps no meta facts");
  }

  @Override
  public void close() {}

  private final class Devices implements DeviceStore {
    @Override
    public List<StoredDevice> load() {
      return new ArrayList<>(devices.values());
    }

    @Override
    public void upsert(StoredDevice device) {
      devices.put(device.definition().id(), device);
    }

    @Override
    public void delete(String deviceId, boolean fromConfig) {
      devices.remove(deviceId);
      if (fromConfig) {
        removedConfig.add(deviceId);
      }
    }

    @Override
    public Set<String> removedConfigIds() {
      return Set.copyOf(removedConfig);
    }
  }

  private final class Commands implements CommandStore {
    @Override
    public void save(CommandRecord command) {
      gate();
      if (failCommandSaves != null) {
        throw failCommandSaves;
      }
      commands.put(command.commandId(), command);
    }

    @Override
    public Optional<CommandRecord> find(String commandId) {
      return Optional.ofNullable(commands.get(commandId));
    }

    @Override
    public List<CommandRecord> unfinished() {
      return commands.values().stream().filter(c -> !c.status().isTerminal()).toList();
    }

    @Override
    public List<CommandRecord> unknownSince(Instant since) {
      return commands.values().stream().filter(c -> c.status() == io.hearth.gateway.store.CommandStatus.UNKNOWN
          && !c.completedAt().isBefore(since)).toList();
    }

    @Override
    public int purge(Instant before) {
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
  }
}
