package io.hearth.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BridgeStore} of {@link SqliteStore}: table {@code bridges} (schema 5,
 * docs/storage.md), one row per bridge with its definition as JSON ({@code convention},
 * {@code baseTopic}, {@code credentials}). Every write is durable (synced before the call completes).
 */
final class SqliteBridgeStore implements BridgeStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteBridgeStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqliteDb db;

  SqliteBridgeStore(SqliteDb db) {
    this.db = db;
  }

  @Override
  public List<MqttBridge> load() {
    List<MqttBridge> out = new ArrayList<>();
    try (ResultSet rs = db.ps("SELECT id, definition FROM bridges ORDER BY rowid").executeQuery()) {
      while (rs.next()) {
        try {
          out.add(read(rs.getString(1), rs.getString(2)));
        } catch (RuntimeException | java.io.IOException e) {
          LOG.error("unreadable bridge row skipped [bridge: {}, reason: {}]", rs.getString(1), e.getMessage());
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("loadBridges", e);
    }
  }

  @Override
  public void upsert(MqttBridge bridge) {
    Objects.requireNonNull(bridge, "bridge");
    db.transaction(true, "upsertBridge", () -> {
      PreparedStatement ps = db.ps("INSERT INTO bridges(id, definition) VALUES(?, ?)"
          + " ON CONFLICT(id) DO UPDATE SET definition = excluded.definition");
      ps.setString(1, bridge.id());
      ps.setString(2, write(bridge));
      ps.executeUpdate();
    });
  }

  @Override
  public void delete(String bridgeId) {
    Objects.requireNonNull(bridgeId, "bridgeId");
    db.transaction(true, "deleteBridge", () -> db.update("DELETE FROM bridges WHERE id = ?", bridgeId));
  }

  private static String write(MqttBridge b) {
    ObjectNode n = JSON.createObjectNode().put("convention", b.convention()).put("baseTopic", b.baseTopic());
    if (b.credentials() != null) {
      n.putObject("credentials").put("username", b.credentials().username())
          .put("password", b.credentials().password());
    }
    return n.toString();
  }

  private static MqttBridge read(String id, String json) throws java.io.IOException {
    JsonNode n = JSON.readTree(json);
    JsonNode c = n.get("credentials");
    MqttBinding.Credentials credentials = c == null || c.isNull() ? null
        : new MqttBinding.Credentials(c.get("username").asText(), c.get("password").asText());
    return new MqttBridge(id, n.path("convention").asText(null), n.path("baseTopic").asText(null), credentials, false);
  }
}
