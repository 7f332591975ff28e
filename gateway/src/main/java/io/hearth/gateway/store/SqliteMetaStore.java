package io.hearth.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link MetaStore} of {@link SqliteStore}: table {@code meta}. Every put is durable
 * (synced before the call completes): don't put per event; reserve counter ranges instead. Not
 * thread-safe, like the store.
 */
final class SqliteMetaStore implements MetaStore {
  /** The health probe's row: written and deleted in one transaction. */
  static final String PROBE_KEY = "health_probe";
  /** Free pages the probe uses up before it needs a new one; past this it does not grow the file. */
  private static final long PROBE_MAX_FREE_PAGES = 64;

  private final SqliteDb db;

  SqliteMetaStore(SqliteDb db) {
    this.db = db;
  }

  @Override
  public Optional<String> get(String key) {
    try {
      PreparedStatement ps = db.ps("SELECT value FROM meta WHERE key = ?");
      ps.setString(1, Objects.requireNonNull(key, "key"));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw db.failed("meta", e);
    }
  }

  /** Durable (synced before the call completes). The key {@code schema_version} is the store's own. */
  @Override
  public void put(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (Schema.VERSION_KEY.equals(key)) {
      throw new IllegalArgumentException("reserved meta key: " + key);
    }
    db.transaction(true, "putMeta", () -> upsert(key, value));
  }

  /**
   * One row one page larger than the free pages inside the file (up to {@value #PROBE_MAX_FREE_PAGES}),
   * so it needs a new page, as the write that failed on a full disk did; deleted before the commit,
   * which is durable and goes through the WAL like any write. The new pages stay in the file as
   * free pages: a page or two per recovery.
   */
  @Override
  public void probe() {
    db.transaction(true, "healthProbe", () -> {
      long free = single("PRAGMA freelist_count");
      long page = single("PRAGMA page_size");
      upsert(PROBE_KEY, "p".repeat((int) ((Math.min(free, PROBE_MAX_FREE_PAGES) + 1) * page)));
      db.update("DELETE FROM meta WHERE key = ?", PROBE_KEY);
    });
  }

  private long single(String sql) throws SQLException {
    try (ResultSet rs = db.ps(sql).executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private void upsert(String key, String value) throws SQLException {
    PreparedStatement ps = db.ps("INSERT INTO meta(key, value) VALUES(?, ?)"
        + " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    ps.setString(1, key);
    ps.setString(2, value);
    ps.executeUpdate();
  }
}
