package io.hearth.gateway.api;

import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.core.CommandJson;
import io.hearth.gateway.store.FailureReason;
import io.vertx.core.json.JsonObject;

/**
 * A command's result as the REST API answers it, the one place a {@link FailureReason} gets its
 * {@link ErrorCode}: 202 while pending (not waited for), 200 once succeeded or superseded, and a problem
 * ({@link Problems#toJson}) with {@code commandId} and {@code commandStatus} once failed:
 * REJECTED → 502 DEVICE_REJECTED, UNREACHABLE → 409 DEVICE_OFFLINE, TIMED_OUT → 504
 * COMMAND_TIMEOUT, SHUTDOWN → 503 UNAVAILABLE, STORE → 500 INTERNAL, EXPIRED → 409 DEVICE_OFFLINE,
 * OUTCOME_UNKNOWN → 504 OUTCOME_UNKNOWN (status {@code unknown}).
 *
 * @param httpStatus the response status
 * @param body       the JSON body
 */
public record CommandAnswer(int httpStatus, JsonObject body) {

  /** The answer for {@code result}. */
  public static CommandAnswer of(CommandResult result) {
    if (result instanceof CommandResult.Failed f) {
      JsonObject problem = Problems.toJson(new ApiException(code(f.reason()), f.detail()))
          .put("commandId", f.commandId())
          .put("commandStatus", f.status().wireName());
      return new CommandAnswer(problem.getInteger("status"), problem);
    }
    // superseded: 200 too, not an error: the newer command carries the value (docs/api.md#pipelining-and-coalescing)
    return new CommandAnswer(result instanceof CommandResult.Accepted ? 202 : 200,
        new JsonObject(CommandJson.result(result)));
  }

  /** Whether this is a problem (an error response) rather than a result. */
  public boolean isError() {
    return httpStatus >= 400;
  }

  /** The media type of the body. */
  public String contentType() {
    return isError() ? Problems.CONTENT_TYPE : "application/json";
  }

  static ErrorCode code(FailureReason reason) {
    return switch (reason) {
      case REJECTED -> ErrorCode.DEVICE_REJECTED;
      case UNREACHABLE -> ErrorCode.DEVICE_OFFLINE;
      case TIMED_OUT -> ErrorCode.COMMAND_TIMEOUT;
      case SHUTDOWN -> ErrorCode.UNAVAILABLE;
      case STORE -> ErrorCode.INTERNAL;
      case EXPIRED -> ErrorCode.DEVICE_OFFLINE;
      case OUTCOME_UNKNOWN -> ErrorCode.OUTCOME_UNKNOWN;
    };
  }
}
