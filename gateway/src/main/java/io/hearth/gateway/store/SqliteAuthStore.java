package io.hearth.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link AuthStore} of {@link SqliteStore}: users, pairing/invite codes and refresh tokens
 * (schema migration 2). Device lists are kept comma-separated: device ids cannot hold a comma.
 * Writes that grant or withdraw access are durable (synced before the call completes). Not thread-safe,
 * like the store.
 */
final class SqliteAuthStore implements AuthStore {
  private final SqliteDb db;

  SqliteAuthStore(SqliteDb db) {
    this.db = db;
  }

  @Override
  public List<UserRecord> users() {
    List<UserRecord> out = new ArrayList<>();
    try (ResultSet rs = db.ps("SELECT id, name, role, devices, created_at FROM users ORDER BY created_at, rowid")
        .executeQuery()) {
      while (rs.next()) {
        out.add(new UserRecord(rs.getString(1), rs.getString(2), rs.getString(3), split(rs.getString(4)),
            SqliteDb.instant(rs, 5)));
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("loadUsers", e);
    }
  }

  @Override
  public boolean addCode(AuthCodeRecord c) {
    Objects.requireNonNull(c, "code");
    boolean[] added = new boolean[1];
    db.transaction(true, "addAuthCode", () -> {
      PreparedStatement ps = db.ps("INSERT OR IGNORE INTO auth_codes(code_hash, role, devices, created_by, created_at,"
          + " expires_at, used_at) VALUES(?, ?, ?, ?, ?, ?, ?)");
      ps.setString(1, c.codeHash());
      ps.setString(2, c.role());
      ps.setString(3, String.join(",", c.devices()));
      ps.setString(4, c.createdBy());
      SqliteDb.setInstant(ps, 5, c.createdAt());
      SqliteDb.setInstant(ps, 6, c.expiresAt());
      SqliteDb.setInstant(ps, 7, c.usedAt());
      added[0] = ps.executeUpdate() == 1;
    });
    return added[0];
  }

  @Override
  public Optional<AuthCodeRecord> findCode(String codeHash) {
    Objects.requireNonNull(codeHash, "codeHash");
    try {
      PreparedStatement ps = db.ps("SELECT code_hash, role, devices, created_by, created_at, expires_at, used_at"
          + " FROM auth_codes WHERE code_hash = ?");
      ps.setString(1, codeHash);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new AuthCodeRecord(rs.getString(1), rs.getString(2), split(rs.getString(3)),
            rs.getString(4), SqliteDb.instant(rs, 5), SqliteDb.instant(rs, 6), SqliteDb.instant(rs, 7)));
      }
    } catch (SQLException e) {
      throw db.failed("findAuthCode", e);
    }
  }

  @Override
  public Optional<UserRecord> redeemCode(String codeHash, Instant now, String userId, String name) {
    Objects.requireNonNull(codeHash, "codeHash");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    Optional<AuthCodeRecord> code = findCode(codeHash);
    if (code.isEmpty() || code.get().usedAt() != null
        || (code.get().expiresAt() != null && !code.get().expiresAt().isAfter(now))) {
      return Optional.empty();
    }
    UserRecord user = new UserRecord(userId, name, code.get().role(), code.get().devices(), now);
    boolean[] redeemed = new boolean[1];
    db.transaction(true, "redeemAuthCode", () -> {
      PreparedStatement mark = db.ps("UPDATE auth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL");
      SqliteDb.setInstant(mark, 1, now);
      mark.setString(2, codeHash);
      if (mark.executeUpdate() != 1) {
        return;
      }
      PreparedStatement ins = db.ps("INSERT INTO users(id, name, role, devices, created_at) VALUES(?, ?, ?, ?, ?)");
      ins.setString(1, user.id());
      ins.setString(2, user.name());
      ins.setString(3, user.role());
      ins.setString(4, String.join(",", user.devices()));
      SqliteDb.setInstant(ins, 5, now);
      ins.executeUpdate();
      redeemed[0] = true;
    });
    return redeemed[0] ? Optional.of(user) : Optional.empty();
  }

  @Override
  public void saveRefreshToken(RefreshTokenRecord t) {
    Objects.requireNonNull(t, "token");
    db.transaction(true, "saveRefreshToken", () -> insertRefresh(t));
  }

  @Override
  public Optional<RefreshTokenRecord> findRefreshToken(String id) {
    Objects.requireNonNull(id, "id");
    try {
      PreparedStatement ps = db.ps("SELECT id, secret_hash, user_id, family, created_at, expires_at, used_at, revoked"
          + " FROM refresh_tokens WHERE id = ?");
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new RefreshTokenRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            SqliteDb.instant(rs, 5), SqliteDb.instant(rs, 6), SqliteDb.instant(rs, 7), rs.getInt(8) != 0));
      }
    } catch (SQLException e) {
      throw db.failed("findRefreshToken", e);
    }
  }

  @Override
  public boolean rotateRefreshToken(String usedId, Instant now, RefreshTokenRecord next) {
    Objects.requireNonNull(usedId, "usedId");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(next, "next");
    boolean[] rotated = new boolean[1];
    db.transaction(true, "rotateRefreshToken", () -> {
      PreparedStatement mark = db.ps(
          "UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked = 0");
      SqliteDb.setInstant(mark, 1, now);
      mark.setString(2, usedId);
      if (mark.executeUpdate() != 1) {
        return;
      }
      insertRefresh(next);
      rotated[0] = true;
    });
    return rotated[0];
  }

  @Override
  public int revokeFamily(String family) {
    Objects.requireNonNull(family, "family");
    int[] n = new int[1];
    db.transaction(true, "revokeRefreshFamily", () -> n[0] = db.update(
        "UPDATE refresh_tokens SET revoked = 1 WHERE family = ? AND revoked = 0", family));
    return n[0];
  }

  @Override
  public Set<String> revokedFamilies() {
    Set<String> out = new HashSet<>();
    try (ResultSet rs = db.ps("SELECT DISTINCT family FROM refresh_tokens WHERE revoked = 1").executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("revokedRefreshFamilies", e);
    }
  }

  @Override
  public int purge(Instant now) {
    Objects.requireNonNull(now, "now");
    int[] n = new int[1];
    db.transaction(false, "purgeAuth", () -> {
      for (String sql : new String[] {"DELETE FROM auth_codes WHERE expires_at IS NOT NULL AND expires_at < ?",
          "DELETE FROM refresh_tokens WHERE expires_at < ?"}) {
        PreparedStatement ps = db.ps(sql);
        ps.setLong(1, now.toEpochMilli());
        n[0] += ps.executeUpdate();
      }
    });
    return n[0];
  }

  private void insertRefresh(RefreshTokenRecord t) throws SQLException {
    PreparedStatement ps = db.ps("INSERT INTO refresh_tokens(id, secret_hash, user_id, family, created_at, expires_at,"
        + " used_at, revoked) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    ps.setString(1, t.id());
    ps.setString(2, t.secretHash());
    ps.setString(3, t.userId());
    ps.setString(4, t.family());
    SqliteDb.setInstant(ps, 5, t.createdAt());
    SqliteDb.setInstant(ps, 6, t.expiresAt());
    SqliteDb.setInstant(ps, 7, t.usedAt());
    ps.setInt(8, t.revoked() ? 1 : 0);
    ps.executeUpdate();
  }

  private static List<String> split(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }
}
