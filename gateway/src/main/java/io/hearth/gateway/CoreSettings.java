package io.hearth.gateway;

import io.hearth.adapter.Transports;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.homeassistant.HomeAssistantSettings;
import io.hearth.gateway.security.SecurityLimits;
import io.hearth.gateway.store.Store;
import io.hearth.gateway.ws.WsOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Application} hands the core once the configuration is checked: the loaded profiles and
 * devices, the store (not yet open), the registered transports ({@link GatewayTransports}) and the bounds code may
 * override ({@link Application.Builder}).
 *
 * @param devices     the devices to register at start (the devices file and any extra devices)
 * @param pairingCode the first pairing code ({@code PairingCode.ensure})
 * @param homeAssistant the Home Assistant bridge's settings, or null when {@code homeAssistant.enabled} is off
 */
record CoreSettings(GatewayConfig config, Map<String, Profile> profiles, List<DeviceDefinition> devices, Store store,
    Transports transports, String pairingCode, WsOptions wsOptions, EventLog.Limits eventLimits,
    SecurityLimits securityLimits, HomeAssistantSettings homeAssistant) {

  CoreSettings {
    Objects.requireNonNull(config, "config");
    profiles = Map.copyOf(profiles);
    devices = List.copyOf(devices);
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(transports, "transports");
    Objects.requireNonNull(pairingCode, "pairingCode");
    Objects.requireNonNull(wsOptions, "wsOptions");
    Objects.requireNonNull(eventLimits, "eventLimits");
    Objects.requireNonNull(securityLimits, "securityLimits");
  }
}
