package io.hearth.gateway.command;

import io.hearth.gateway.api.ErrorCode;
import java.util.Map;

/**
 * The answer to a command request, the same for REST and WebSocket, and what an
 * {@code Idempotency-Key} replays.
 *
 * @param httpStatus 200 (succeeded), 202 (accepted, not waited for) or the error's status
 * @param body       the JSON body: a result, or a problem ({@code code}, {@code detail}, {@code commandId})
 * @param error      the error code when this is a failure, else null
 */
public record CommandOutcome(int httpStatus, Map<String, Object> body, ErrorCode error) {
  public boolean isError() {
    return error != null;
  }
}
