package io.hearth.gateway.domain;

import java.util.Objects;

/** No such device (or none the caller may see), or no registration pending for it. */
public final class DeviceNotFoundException extends DomainException {
  private static final long serialVersionUID = 1L;

  private final String deviceId;

  /** The standard detail: {@code no device '<id>'}. */
  public DeviceNotFoundException(String deviceId) {
    this(deviceId, "no device '" + deviceId + "'");
  }

  public DeviceNotFoundException(String deviceId, String detail) {
    super(detail);
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
  }

  public String deviceId() {
    return deviceId;
  }
}
