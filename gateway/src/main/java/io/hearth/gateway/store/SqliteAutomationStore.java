package io.hearth.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link AutomationStore} of {@link SqliteStore}: tables {@code automations} and
 * {@code automation_runs} (docs/storage.md). A rule's change is durable; a run's record is
 * committed without its own sync (the next sync or a clean stop covers it), so a busy rule costs
 * no fsync per step.
 */
final class SqliteAutomationStore implements AutomationStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};

  private final SqliteDb db;

  SqliteAutomationStore(SqliteDb db) {
    this.db = db;
  }

  @Override
  public List<StoredAutomation> load() {
    List<StoredAutomation> out = new ArrayList<>();
    try (ResultSet rs = db.ps("SELECT id, definition, enabled FROM automations ORDER BY rowid").executeQuery()) {
      while (rs.next()) {
        out.add(new StoredAutomation(rs.getString(1), rs.getString(2), rs.getInt(3) != 0));
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("loadAutomations", e);
    }
  }

  @Override
  public void upsert(StoredAutomation a) {
    Objects.requireNonNull(a, "automation");
    db.transaction(true, "upsertAutomation", () -> {
      PreparedStatement ps = db.ps("INSERT INTO automations(id, definition, enabled) VALUES(?, ?, ?)"
          + " ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, enabled = excluded.enabled");
      ps.setString(1, a.id());
      ps.setString(2, a.definition());
      ps.setInt(3, a.enabled() ? 1 : 0);
      ps.executeUpdate();
    });
  }

  @Override
  public void delete(String automationId) {
    Objects.requireNonNull(automationId, "automationId");
    db.transaction(true, "deleteAutomation", () -> {
      db.update("DELETE FROM automation_runs WHERE automation_id = ?", automationId);
      db.update("DELETE FROM automations WHERE id = ?", automationId);
    });
  }

  @Override
  public void saveRun(RunRecord r) {
    Objects.requireNonNull(r, "run");
    db.transaction(false, "saveRun", () -> {
      PreparedStatement ps = db.ps("INSERT INTO automation_runs(run_id, automation_id, started_at, ended_at, status,"
          + " trigger, steps, error) VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(run_id) DO UPDATE SET"
          + " ended_at = excluded.ended_at, status = excluded.status, steps = excluded.steps, error = excluded.error");
      ps.setString(1, r.runId());
      ps.setString(2, r.automationId());
      ps.setLong(3, r.startedAt().toEpochMilli());
      if (r.endedAt() == null) {
        ps.setNull(4, Types.INTEGER);
      } else {
        ps.setLong(4, r.endedAt().toEpochMilli());
      }
      ps.setString(5, r.status());
      ps.setString(6, write(r.trigger()));
      ps.setString(7, write(r.steps()));
      ps.setString(8, r.error());
      ps.executeUpdate();
    });
  }

  @Override
  public List<RunRecord> runs(String automationId, int limit) {
    List<RunRecord> out = new ArrayList<>();
    try {
      PreparedStatement ps = db.ps("SELECT run_id, automation_id, started_at, ended_at, status, trigger, steps, error"
          + " FROM automation_runs WHERE automation_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?");
      ps.setString(1, automationId);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long ended = rs.getLong(4);
          Instant endedAt = rs.wasNull() ? null : Instant.ofEpochMilli(ended);
          out.add(new RunRecord(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), endedAt,
              rs.getString(5), JSON.readValue(rs.getString(6), MAP), JSON.readValue(rs.getString(7), LIST),
              rs.getString(8)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("loadRuns", e);
    } catch (JsonProcessingException e) {
      throw new StoreException("unreadable run record of automation '" + automationId + "'", e);
    }
  }

  @Override
  public int interruptRunning(Instant now) {
    int[] n = new int[1];
    db.transaction(true, "interruptRuns", () -> {
      PreparedStatement ps = db.ps("UPDATE automation_runs SET status = 'interrupted', ended_at = ?,"
          + " error = 'the gateway stopped during the run' WHERE status = 'running'");
      ps.setLong(1, now.toEpochMilli());
      n[0] = ps.executeUpdate();
    });
    return n[0];
  }

  @Override
  public int purgeRuns(Instant before) {
    return db.purge("DELETE FROM automation_runs WHERE ended_at IS NOT NULL AND ended_at < ?", before, "purgeRuns");
  }

  private static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new StoreException("run record not writable as JSON", e);
    }
  }
}
