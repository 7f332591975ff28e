package io.hearth.gateway.store;

import io.hearth.device.DeviceDefinition;

/**
 * A registry entry as persisted.
 *
 * @param definition the device
 * @param fromConfig true if it came from {@code devices.yaml} (re-read at each start), false if
 *                   registered through the API
 */
public record StoredDevice(DeviceDefinition definition, boolean fromConfig) {}
