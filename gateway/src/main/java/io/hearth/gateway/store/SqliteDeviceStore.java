package io.hearth.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeviceStore} of {@link SqliteStore}: tables {@code devices} and
 * {@code removed_config_devices}. Every write is durable (synced before the call completes). Not
 * thread-safe, like the store.
 */
final class SqliteDeviceStore implements DeviceStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDeviceStore.class);

  private final SqliteDb db;
  private final StoreJson json;

  SqliteDeviceStore(SqliteDb db, StoreJson json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public List<StoredDevice> load() {
    List<StoredDevice> out = new ArrayList<>();
    try (ResultSet rs = db.ps("SELECT id, definition, from_config FROM devices ORDER BY rowid").executeQuery()) {
      while (rs.next()) {
        try {
          out.add(new StoredDevice(json.definition(rs.getString(2)), rs.getInt(3) != 0));
        } catch (RuntimeException e) {
          LOG.error("unreadable device row skipped [device: {}, reason: {}]", rs.getString(1), e.getMessage());
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("loadDevices", e);
    }
  }

  @Override
  public void upsert(StoredDevice device) {
    Objects.requireNonNull(device, "device");
    db.transaction(true, "upsertDevice", () -> write(device));
  }

  /** One transaction for all: a first start on a devices file of 10,000 devices syncs once, not 10,000 times. */
  @Override
  public void upsertAll(List<StoredDevice> devices) {
    List<StoredDevice> all = List.copyOf(devices);
    if (all.isEmpty()) {
      return;
    }
    db.transaction(true, "upsertDevices", () -> {
      for (StoredDevice d : all) {
        write(d);
      }
    });
  }

  private void write(StoredDevice device) throws SQLException {
    String id = device.definition().id();
    PreparedStatement ps = db.ps("INSERT INTO devices(id, definition, from_config) VALUES(?, ?, ?)"
        + " ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, from_config = excluded.from_config");
    ps.setString(1, id);
    ps.setString(2, json.definition(device.definition()));
    ps.setInt(3, device.fromConfig() ? 1 : 0);
    ps.executeUpdate();
    if (device.fromConfig()) { // imported again on purpose: no longer a removed config device
      db.update("DELETE FROM removed_config_devices WHERE id = ?", id);
    }
  }

  /** In one durable transaction with the device's state, history and commands. */
  @Override
  public void delete(String deviceId, boolean fromConfig) {
    Objects.requireNonNull(deviceId, "deviceId");
    db.transaction(true, "deleteDevice", () -> {
      db.update("DELETE FROM history WHERE device_id = ?", deviceId);
      db.update("DELETE FROM history_rollup WHERE device_id = ?", deviceId);
      db.update("DELETE FROM commands WHERE device_id = ?", deviceId);
      db.update("DELETE FROM device_state WHERE device_id = ?", deviceId);
      db.update("DELETE FROM devices WHERE id = ?", deviceId);
      if (fromConfig) {
        PreparedStatement ps = db.ps("INSERT OR IGNORE INTO removed_config_devices(id, removed_at) VALUES(?, ?)");
        ps.setString(1, deviceId);
        ps.setLong(2, System.currentTimeMillis());
        ps.executeUpdate();
      }
    });
  }

  @Override
  public Set<String> removedConfigIds() {
    Set<String> out = new LinkedHashSet<>();
    try (ResultSet rs = db.ps("SELECT id FROM removed_config_devices ORDER BY id").executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("removedConfigDevices", e);
    }
  }
}
