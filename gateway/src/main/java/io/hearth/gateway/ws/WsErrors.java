package io.hearth.gateway.ws;

import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.domain.CommandNotFoundException;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.DeviceOfflineException;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.TooManyWaitingException;
import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.domain.UnavailableException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.StoreUnavailableException;
import java.util.Optional;

/**
 * The WebSocket's one mapping from the domain's refusals and failed command results to its error
 * codes (the REST API's mapping is {@code api.Problems} and {@code api.CommandAnswer}; the codes
 * are the same, docs/websocket.md).
 */
final class WsErrors {
  private WsErrors() {}

  /** The error for {@code failure}; empty when it is unexpected (a bug: the caller logs it as INTERNAL). */
  static Optional<WsError> of(Throwable failure) {
    if (failure instanceof WsError ws) {
      return Optional.of(ws);
    }
    if (failure instanceof DomainException domain) {
      return Optional.ofNullable(code(domain)).map(code -> new WsError(code, domain.getMessage()));
    }
    if (failure instanceof StoreUnavailableException store) {
      return Optional.of(new WsError(WsError.Code.STORE_UNAVAILABLE, store.detailForClients()));
    }
    return Optional.empty();
  }

  /** The error for a command that ended without success. */
  static WsError of(CommandResult.Failed failed) {
    WsError.Code code = switch (failed.reason()) {
      case REJECTED -> WsError.Code.DEVICE_REJECTED;
      case UNREACHABLE -> WsError.Code.DEVICE_OFFLINE;
      case TIMED_OUT -> WsError.Code.COMMAND_TIMEOUT;
      case SHUTDOWN -> WsError.Code.UNAVAILABLE;
      case STORE -> WsError.Code.INTERNAL;
      case EXPIRED -> WsError.Code.DEVICE_OFFLINE;
      case OUTCOME_UNKNOWN -> WsError.Code.OUTCOME_UNKNOWN;
    };
    return new WsError(code, failed.detail());
  }

  private static WsError.Code code(DomainException e) {
    if (e instanceof ValidationException) {
      return WsError.Code.VALIDATION_FAILED;
    } else if (e instanceof DeviceNotFoundException) {
      return WsError.Code.DEVICE_NOT_FOUND;
    } else if (e instanceof CommandNotFoundException) {
      return WsError.Code.COMMAND_NOT_FOUND;
    } else if (e instanceof DeviceOfflineException) {
      return WsError.Code.DEVICE_OFFLINE;
    } else if (e instanceof UnavailableException) {
      return WsError.Code.UNAVAILABLE;
    } else if (e instanceof io.hearth.gateway.domain.RateLimitedException) {
      return WsError.Code.RATE_LIMITED;
    } else if (e instanceof TooManyWaitingException) {
      return WsError.Code.TOO_MANY_WAITING;
    } else if (e instanceof UnauthenticatedException) {
      return WsError.Code.UNAUTHORIZED;
    }
    return null; // a new domain exception without a code yet
  }
}
