package io.hearth.relay.tunnel;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The hubs whose tunnel is connected to this relay, by hub id: the one place "online" is decided. */
public final class HubRegistry {
  private final Map<String, HubTunnel> online = new ConcurrentHashMap<>();

  public Optional<HubTunnel> find(String hubId) {
    return Optional.ofNullable(online.get(hubId));
  }

  public boolean isOnline(String hubId) {
    return online.containsKey(hubId);
  }

  /** Registers a connected tunnel; the hub's previous tunnel, if any, is closed (replaced). */
  void put(HubTunnel t) {
    HubTunnel old = online.put(t.hubId(), t);
    if (old != null && old != t) {
      old.close((short) 4000, "replaced by a new connection");
    }
  }

  void remove(HubTunnel t) {
    online.remove(t.hubId(), t);
  }

  /** Closes every tunnel (the relay stops): the hubs reconnect with their backoff. */
  public void closeAll() {
    online.values().forEach(t -> t.close((short) 1001, "relay stopping"));
    online.clear();
  }
}
