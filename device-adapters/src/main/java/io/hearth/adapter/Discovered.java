package io.hearth.adapter;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A device an adapter heard of that is not registered: a Tasmota discovery config, an entry of a
 * Zigbee2MQTT bridge's {@code bridge/devices}, a CoAP resource-directory registration. The gateway
 * lists it as pending until the owner approves it (docs/api.md, "Discovery"); approving registers
 * {@link #binding()} through the same checks as {@code POST /devices}.
 *
 * @param source      what found it: {@code tasmota}, {@code zigbee2mqtt:<bridge id>}, {@code coap-rd}
 * @param key         stable within the source (MAC, IEEE address, endpoint name): a second
 *                    announcement with the same key replaces the first
 * @param suggestedId a valid device id ({@code [a-z0-9_-]{1,64}}) to register it under
 * @param name        the name the device or bridge gives it, or null
 * @param profile     the guessed profile id, or null when nothing fits
 * @param binding     the binding it would be registered with, as in devices.yaml
 *                    ({@code protocol}, {@code convention}, {@code topic}, …)
 * @param details     what the announcement said that helps the owner decide (model, vendor,
 *                    firmware, power source); JSON-like values
 */
public record Discovered(String source, String key, String suggestedId, String name, String profile,
    Map<String, Object> binding, Map<String, Object> details, Instant seenAt) {
  public Discovered {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(suggestedId, "suggestedId");
    Objects.requireNonNull(seenAt, "seenAt");
    binding = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(binding, "binding")));
    details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
