package io.hearth.relay.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The relay's embedded store: one SQLite file ({@code <data.dir>/relay.db}, owner-only) with the
 * linked hubs (their key's SHA-256 only), the WeChat users' bindings to hubs, and the login sessions
 * (their token's SHA-256 only). Blocking: {@link StoreExecutor} runs every call on one worker thread.
 */
public final class RelayStore implements AutoCloseable {
  private final Connection db;

  /** A hub bound to a WeChat user, as the app lists it. */
  public record Binding(String hubId, String name) {}

  /** A login session: the user's openid (and unionid when WeChat gave one) and when it ends. */
  public record Session(String openid, String unionid, long expiresAtMs) {}

  public RelayStore(Path dataDir) throws SQLException {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create " + dataDir + ": " + e.getMessage(), e);
    }
    db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("relay.db"));
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("CREATE TABLE IF NOT EXISTS hubs (hub_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL,"
          + " linked_at INTEGER NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS bindings (openid TEXT NOT NULL, hub_id TEXT NOT NULL, name TEXT NOT NULL,"
          + " bound_at INTEGER NOT NULL, PRIMARY KEY (openid, hub_id))");
      s.execute("CREATE INDEX IF NOT EXISTS bindings_hub ON bindings (hub_id)");
      s.execute("CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, openid TEXT NOT NULL,"
          + " unionid TEXT, expires_at INTEGER NOT NULL)");
    }
    Secrets.ownerOnly(dataDir.resolve("relay.db"));
  }

  // ---- hubs

  public Optional<String> hubKeyHash(String hubId) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("SELECT key_hash FROM hubs WHERE hub_id = ?")) {
      p.setString(1, hubId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    }
  }

  /** Records a newly linked hub; false if the hub id is taken. */
  public boolean addHub(String hubId, String keyHash, long now) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(
        "INSERT OR IGNORE INTO hubs (hub_id, key_hash, linked_at) VALUES (?, ?, ?)")) {
      p.setString(1, hubId);
      p.setString(2, keyHash);
      p.setLong(3, now);
      return p.executeUpdate() == 1;
    }
  }

  /** Forgets a hub and every binding to it (hub removal, docs/relay.md). */
  public void removeHub(String hubId) throws SQLException {
    try (PreparedStatement a = db.prepareStatement("DELETE FROM hubs WHERE hub_id = ?");
         PreparedStatement b = db.prepareStatement("DELETE FROM bindings WHERE hub_id = ?")) {
      a.setString(1, hubId);
      a.executeUpdate();
      b.setString(1, hubId);
      b.executeUpdate();
    }
  }

  // ---- bindings

  public void bind(String openid, String hubId, String name, long now) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("INSERT INTO bindings (openid, hub_id, name, bound_at)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (openid, hub_id) DO UPDATE SET name = excluded.name")) {
      p.setString(1, openid);
      p.setString(2, hubId);
      p.setString(3, name);
      p.setLong(4, now);
      p.executeUpdate();
    }
  }

  /** True if a binding was removed. */
  public boolean unbind(String openid, String hubId) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("DELETE FROM bindings WHERE openid = ? AND hub_id = ?")) {
      p.setString(1, openid);
      p.setString(2, hubId);
      return p.executeUpdate() == 1;
    }
  }

  public List<Binding> bindings(String openid) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT hub_id, name FROM bindings WHERE openid = ? ORDER BY bound_at, hub_id")) {
      p.setString(1, openid);
      List<Binding> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new Binding(r.getString(1), r.getString(2)));
        }
      }
      return out;
    }
  }

  /** The openids bound to a hub (who gets its alerts). */
  public List<String> usersOf(String hubId) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("SELECT openid FROM bindings WHERE hub_id = ?")) {
      p.setString(1, hubId);
      List<String> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
      return out;
    }
  }

  // ---- sessions

  public void addSession(String tokenHash, Session s) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(
        "INSERT INTO sessions (token_hash, openid, unionid, expires_at) VALUES (?, ?, ?, ?)")) {
      p.setString(1, tokenHash);
      p.setString(2, s.openid());
      p.setString(3, s.unionid());
      p.setLong(4, s.expiresAtMs());
      p.executeUpdate();
    }
  }

  public Optional<Session> session(String tokenHash, long now) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT openid, unionid, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?")) {
      p.setString(1, tokenHash);
      p.setLong(2, now);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(new Session(r.getString(1), r.getString(2), r.getLong(3))) : Optional.empty();
      }
    }
  }

  /** Deletes expired sessions; returns how many. */
  public int purgeSessions(long now) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
      p.setLong(1, now);
      return p.executeUpdate();
    }
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
