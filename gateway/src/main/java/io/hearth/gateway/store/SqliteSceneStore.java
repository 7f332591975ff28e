package io.hearth.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@link SceneStore} of {@link SqliteStore}: table {@code scenes}. Not thread-safe, like the store. */
final class SqliteSceneStore implements SceneStore {
  private static final String SELECT = "SELECT id, definition, created_at, updated_at FROM scenes";

  private final SqliteDb db;

  SqliteSceneStore(SqliteDb db) {
    this.db = db;
  }

  @Override
  public List<SceneRow> all() {
    try {
      return read(db.ps(SELECT + " ORDER BY id"));
    } catch (SQLException e) {
      throw db.failed("scenes", e);
    }
  }

  @Override
  public Optional<SceneRow> find(String id) {
    try {
      PreparedStatement ps = db.ps(SELECT + " WHERE id = ?");
      ps.setString(1, Objects.requireNonNull(id, "id"));
      return read(ps).stream().findFirst();
    } catch (SQLException e) {
      throw db.failed("scene", e);
    }
  }

  @Override
  public void put(SceneRow row) {
    Objects.requireNonNull(row, "row");
    db.transaction(true, "putScene", () -> {
      PreparedStatement ps = db.ps("INSERT INTO scenes(id, definition, created_at, updated_at) VALUES(?, ?, ?, ?)"
          + " ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at");
      ps.setString(1, row.id());
      ps.setString(2, row.definition());
      ps.setLong(3, row.createdAt().toEpochMilli());
      ps.setLong(4, row.updatedAt().toEpochMilli());
      ps.executeUpdate();
    });
  }

  @Override
  public boolean delete(String id) {
    boolean[] deleted = {false};
    db.transaction(true, "deleteScene", () -> deleted[0] = db.update("DELETE FROM scenes WHERE id = ?", id) > 0);
    return deleted[0];
  }

  private static List<SceneRow> read(PreparedStatement ps) throws SQLException {
    List<SceneRow> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new SceneRow(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
            Instant.ofEpochMilli(rs.getLong(4))));
      }
    }
    return out;
  }
}
