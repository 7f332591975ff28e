package io.hearth.gateway.homeassistant;

import io.hearth.adapter.mqtt.MqttAccounts;
import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.hearth.gateway.config.GatewayConfig;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the composition root hands the Home Assistant bridge.
 *
 * @param config         {@code homeAssistant.*}
 * @param link           the bridge's own MQTT connection (read at start, once the embedded broker runs)
 * @param accounts       the embedded broker's accounts, to let Home Assistant's user in; null with an
 *                       external broker (its own ACL applies, docs/home-assistant.md)
 * @param installationId this installation's id: the hub's identifier and every unique id's prefix
 * @param version        Hearth's version, for the discovery configs' origin
 */
public record HomeAssistantSettings(GatewayConfig.HomeAssistant config, Supplier<MqttAdapterOptions> link,
    MqttAccounts accounts, String installationId, String version) {
  public HomeAssistantSettings {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(installationId, "installationId");
    Objects.requireNonNull(version, "version");
  }
}
