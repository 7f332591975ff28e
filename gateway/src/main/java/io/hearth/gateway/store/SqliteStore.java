package io.hearth.gateway.store;

import io.hearth.adapter.Transports;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on one SQLite file, {@code <dataDir>/hearth.db}: its stores share one JDBC
 * connection ({@link SqliteDb}), so they see each other's writes and a call orders with the others.
 *
 * <p>Durability ({@link Durability}, docs/storage.md#durability): the file is in WAL mode with
 * {@code synchronous=NORMAL}, so a commit survives a crash of the process; at level {@code normal}
 * the last writes not yet synced (at most {@code data.syncIntervalMs}: state snapshots, history,
 * command records, idempotency records, events) may be lost on a power cut; the file itself stays
 * consistent. Writes that must not be lost — the registry ({@link DeviceStore#upsert},
 * {@link DeviceStore#delete}, the {@link BridgeStore}), users, codes and refresh tokens, and
 * {@link MetaStore#put} — complete only after a sync of the WAL (which covers every earlier commit
 * too), as does every write at level {@code full}. Don't put a meta fact per event; reserve counter
 * ranges instead. {@link #commitGroup} commits many calls with one transaction and one sync.
 *
 * <p>State, history and commands of a device that is not (or no longer) in the registry are
 * skipped silently: a late write after {@link DeviceStore#delete} cannot resurrect it. Instants are
 * kept to the millisecond. Not thread-safe: one caller at a time (see {@link AsyncStore}), except
 * {@link #health()}.
 *
 * <p>A full disk or a failing file system makes calls throw {@link StoreUnavailableException}; the
 * store recovers on its own once the cause is gone, without a restart (docs/storage.md).
 */
public final class SqliteStore implements Store {
  /** Name of the database file inside the data directory. */
  public static final String FILE_NAME = "hearth.db";

  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

  private final Path file;
  private final SqliteDb db;
  private final DeviceStore devices;
  private final BridgeStore bridges;
  private final AutomationStore automations;
  private final StateStore states;
  private final HistoryStore history;
  private final SceneStore scenes;
  private final CommandStore commands;
  private final EventStore events;
  private final AuthStore auth;
  private final MetaStore meta;

  /**
   * @param dataDir    the data directory; the database is {@value #FILE_NAME} in it
   * @param transports reads and writes device bindings in their protocol's stored form
   */
  public SqliteStore(Path dataDir, Transports transports) {
    this(dataDir, transports, Durability.Level.NORMAL);
  }

  /** With a {@code data.durability} level (docs/storage.md#durability). */
  public SqliteStore(Path dataDir, Transports transports, Durability.Level level) {
    this(dataDir, transports, level, WalSync.FDATASYNC);
  }

  /** With the sync of the log replaced (tests count or hold it). */
  SqliteStore(Path dataDir, Transports transports, Durability.Level level, WalSync.Syncer syncer) {
    this.file = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().resolve(FILE_NAME);
    this.db = new SqliteDb(file, Clock.systemUTC(), Objects.requireNonNull(level, "level"), syncer);
    StoreJson json = new StoreJson(transports);
    this.devices = new SqliteDeviceStore(db, json);
    this.bridges = new SqliteBridgeStore(db);
    this.automations = new SqliteAutomationStore(db);
    this.states = new SqliteStateStore(db, json);
    this.history = new SqliteHistoryStore(db);
    this.scenes = new SqliteSceneStore(db);
    this.commands = new SqliteCommandStore(db);
    this.events = new SqliteEventStore(db);
    this.auth = new SqliteAuthStore(db);
    this.meta = new SqliteMetaStore(db);
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Degraded while writes fail for a reason outside the data (full disk, I/O error), up again after
   * the next write that reached the disk; down before {@link #open()}, after {@link #close()} and
   * while the file cannot be opened again. Thread-safe.
   */
  @Override
  public StoreHealth health() {
    return db.health();
  }

  /** Commits and syncs so far; thread-safe. */
  public CommitStats commitStats() {
    return db.stats();
  }

  @Override
  public boolean commitGroup(List<? extends Runnable> calls) {
    return db.group(calls);
  }

  @Override
  public boolean sync() {
    return db.syncCommitted();
  }

  /** The connection, for tests that inject faults. */
  SqliteDb db() {
    return db;
  }

  /**
   * @throws StoreException with a one-line message naming the file if it cannot be opened, is not
   *                        an SQLite database, is corrupt or was written by a newer Hearth
   */
  @Override
  public void open() {
    int found = db.open();
    LOG.info("store open [file: {}, schema: {}, migratedFrom: {}]", file, Schema.latest(), found);
  }

  @Override
  public DeviceStore devices() {
    return devices;
  }

  @Override
  public BridgeStore bridges() {
    return bridges;
  }

  @Override
  public AutomationStore automations() {
    return automations;
  }

  @Override
  public StateStore states() {
    return states;
  }

  @Override
  public HistoryStore history() {
    return history;
  }

  @Override
  public SceneStore scenes() {
    return scenes;
  }

  @Override
  public CommandStore commands() {
    return commands;
  }

  @Override
  public EventStore events() {
    return events;
  }

  @Override
  public AuthStore auth() {
    return auth;
  }

  @Override
  public MetaStore meta() {
    return meta;
  }

  /** Closes the connection; SQLite checkpoints the WAL into the main file on the way. Idempotent. */
  @Override
  public void close() {
    if (db.isOpen()) {
      db.close();
      LOG.info("store closed [file: {}]", file);
    }
  }
}
