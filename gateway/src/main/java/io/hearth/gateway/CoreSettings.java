package io.hearth.gateway;

import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.core.DeviceCredentials;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.security.SecurityLimits;
import io.hearth.gateway.store.Store;
import io.hearth.gateway.ws.WsOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Application} hands the core once the configuration is checked: the loaded profiles and
 * devices, the store (not yet open), the broker the gateway connects to and the bounds code may
 * override ({@link Application.Builder}).
 *
 * @param devices     the devices to register at start (the devices file and any extra devices)
 * @param pairingCode the first pairing code ({@code PairingCode.ensure})
 */
record CoreSettings(GatewayConfig config, Map<String, Profile> profiles, List<DeviceDefinition> devices, Store store,
    DeviceCredentials credentials, Mqtt mqtt, String pairingCode, WsOptions wsOptions, EventLog.Limits eventLimits,
    SecurityLimits securityLimits) {

  CoreSettings {
    Objects.requireNonNull(config, "config");
    profiles = Map.copyOf(profiles);
    devices = List.copyOf(devices);
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(pairingCode, "pairingCode");
    Objects.requireNonNull(wsOptions, "wsOptions");
    Objects.requireNonNull(eventLimits, "eventLimits");
    Objects.requireNonNull(securityLimits, "securityLimits");
  }

  /** The broker the gateway's own MQTT client connects to. */
  record Mqtt(String url, String user, String password) {
    @Override
    public String toString() {
      return "Mqtt[url=" + url + ", user=" + user + ", password=***]";
    }
  }
}
