package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Device state snapshots and history points (see {@link Store}: blocking, one caller at a time). */
public interface StateStore {

  /** The last saved snapshot of every device, by device id. */
  Map<String, DeviceStateSnapshot> load();

  /** Saves snapshots in one transaction (last write per device wins). */
  void save(Collection<DeviceStateSnapshot> snapshots);

  void appendHistory(Collection<HistoryPoint> points);

  /** Points of one property in [from, to], oldest first. */
  List<HistoryPoint> history(String deviceId, String property, Instant from, Instant to, int limit);

  /** Deletes history points older than {@code before}; returns how many. */
  int purgeHistory(Instant before);
}
