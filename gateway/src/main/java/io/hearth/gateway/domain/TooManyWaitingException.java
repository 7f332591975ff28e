package io.hearth.gateway.domain;

import java.util.Objects;

/**
 * A {@code deliverWhen: nextWake} command was refused: as many commands as
 * {@code commands.maxWaitingPerDevice} already wait for this device's next wake-up. Nothing was
 * recorded or sent (docs/api.md#commands).
 */
public final class TooManyWaitingException extends DomainException {
  private static final long serialVersionUID = 1L;

  private final String deviceId;

  public TooManyWaitingException(String deviceId, int limit) {
    super(limit + " commands already wait for device '" + deviceId + "' to wake up; no more are taken until it does");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
  }

  public String deviceId() {
    return deviceId;
  }
}
