package io.hearth.gateway.domain;

import java.util.Objects;

/** The device cannot be reached now: it is offline, or its transport is down. Nothing was sent. */
public final class DeviceOfflineException extends DomainException {
  private static final long serialVersionUID = 1L;

  private final String deviceId;

  public DeviceOfflineException(String deviceId, String detail) {
    super(detail);
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
  }

  public String deviceId() {
    return deviceId;
  }
}
