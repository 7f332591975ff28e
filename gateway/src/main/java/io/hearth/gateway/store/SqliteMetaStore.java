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
    db.transaction(true, "putMeta", () -> {
      PreparedStatement ps = db.ps("INSERT INTO meta(key, value) VALUES(?, ?)"
          + " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
    });
  }
}
