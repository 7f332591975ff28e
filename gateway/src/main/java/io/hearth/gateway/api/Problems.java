package io.hearth.gateway.api;

import io.hearth.gateway.domain.CommandNotFoundException;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.DeviceOfflineException;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.TooManyWaitingException;
import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.domain.UnavailableException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.StoreUnavailableException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts every failure of the app API into one RFC 9457 {@code application/problem+json}
 * response, once, at the edge:
 * {@code {"type","title","status","detail","code","errors":[{"property","message"}]}}.
 *
 * <p>Mapping: {@link ApiException} as it says; the domain's exceptions ({@link DomainException}) to
 * their code, here and nowhere else (see {@link #toApiException(Throwable)}); OpenAPI body schema violations → 422
 * VALIDATION_FAILED with one entry per violation; a body in a non-JSON media type → 415
 * UNSUPPORTED_MEDIA_TYPE; other request validation failures (missing body, malformed parameter)
 * and undecodable JSON → 400 MALFORMED_REQUEST; router statuses (404, 405, 413 from the body
 * limit, …) → their code, with the {@code HttpException}'s payload as the detail when it has one; anything else → 500 INTERNAL with a generic detail carrying a
 * correlation id, logged at error with the stack trace (never sent to the client).
 */
public final class Problems {
  /** The media type of every error response. */
  public static final String CONTENT_TYPE = "application/problem+json";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {
  }

  /** A router failure/error handler that answers every failure with a problem. */
  public static Handler<RoutingContext> failureHandler() {
    return ctx -> send(ctx, ctx.failure());
  }

  /**
   * Answers {@code ctx} with the problem for {@code failure}; when {@code failure} is null, with
   * the problem for the context's status code (e.g. 404 or 405 from the router, 413 from the body
   * handler); an unknown status (-1) counts as 404, the router's answer when nothing matched.
   */
  public static void send(RoutingContext ctx, Throwable failure) {
    Objects.requireNonNull(ctx, "ctx");
    ApiException problem = failure == null ? fromStatus(ctx.statusCode() < 0 ? 404 : ctx.statusCode())
        : toApiException(ctx, failure);
    write(ctx, problem);
  }

  /** The problem body for {@code e}. */
  public static JsonObject toJson(ApiException e) {
    JsonObject json = new JsonObject()
        .put("type", e.code().type())
        .put("title", e.code().title())
        .put("status", e.code().status())
        .put("detail", e.getMessage())
        .put("code", e.code().name());
    if (!e.errors().isEmpty()) {
      JsonArray errors = new JsonArray();
      e.errors().forEach(error -> errors.add(
          new JsonObject().put("property", error.property()).put("message", error.message())));
      json.put("errors", errors);
    }
    return json;
  }

  /**
   * The problem for {@code failure} outside a request (e.g. to check a mapping): the same
   * conversion as {@link #send}; an unexpected failure is logged and becomes 500 INTERNAL.
   */
  public static ApiException toApiException(Throwable failure) {
    return toApiException(null, Objects.requireNonNull(failure, "failure"));
  }

  static ApiException toApiException(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof DomainException domain) {
      return fromDomain(domain);
    }
    if (failure instanceof HttpException http && http.getCause() != null) {
      // the OpenAPI router wraps validator failures in HttpException(400, cause)
      return toApiException(ctx, http.getCause());
    }
    if (failure instanceof SchemaValidationException schema
        && schema.type() == io.vertx.openapi.validation.ValidatorErrorType.INVALID_VALUE) {
      return ApiException.validation(SchemaErrors.of(schema.getOutputUnit()));
    }
    if (failure instanceof ValidatorException validator) {
      return switch (validator.type()) {
        case UNSUPPORTED_VALUE_FORMAT -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "the request body must be sent as application/json");
        case MISSING_OPERATION, MISSING_RESPONSE -> internal(ctx, failure);
        default -> new ApiException(ErrorCode.MALFORMED_REQUEST, validator.getMessage());
      };
    }
    if (failure instanceof StoreUnavailableException store) {
      return new ApiException(ErrorCode.STORE_UNAVAILABLE, store.detailForClients());
    }
    if (failure instanceof DecodeException) {
      return new ApiException(ErrorCode.MALFORMED_REQUEST, "the body is not valid JSON");
    }
    if (failure instanceof HttpException http && http.getStatusCode() < 500) {
      ApiException byStatus = fromStatus(http.getStatusCode());
      return http.getPayload() == null ? byStatus : new ApiException(byStatus.code(), http.getPayload());
    }
    return internal(ctx, failure);
  }

  /** The one place a domain exception gets its error code. */
  private static ApiException fromDomain(DomainException e) {
    if (e instanceof ValidationException v) {
      return new ApiException(ErrorCode.VALIDATION_FAILED, v.getMessage(), v.errors());
    }
    ErrorCode code;
    if (e instanceof DeviceNotFoundException) {
      code = ErrorCode.DEVICE_NOT_FOUND;
    } else if (e instanceof CommandNotFoundException) {
      code = ErrorCode.COMMAND_NOT_FOUND;
    } else if (e instanceof DeviceOfflineException) {
      code = ErrorCode.DEVICE_OFFLINE;
    } else if (e instanceof UnavailableException) {
      code = ErrorCode.UNAVAILABLE;
    } else if (e instanceof io.hearth.gateway.domain.RateLimitedException) {
      return new ApiException(ErrorCode.RATE_LIMITED, e.getMessage());
    } else if (e instanceof TooManyWaitingException) {
      code = ErrorCode.TOO_MANY_WAITING;
    } else if (e instanceof UnauthenticatedException) {
      code = ErrorCode.UNAUTHORIZED;
    } else {
      return internal(null, e); // a new domain exception without a code yet: a bug, reported as one
    }
    return new ApiException(code, e.getMessage());
  }

  static ApiException fromStatus(int status) {
    return switch (status) {
      case 400 -> new ApiException(ErrorCode.MALFORMED_REQUEST, "the request is malformed");
      case 401 -> new ApiException(ErrorCode.UNAUTHORIZED, "a valid bearer token is required");
      case 403 -> new ApiException(ErrorCode.FORBIDDEN, "not allowed for this token");
      case 404 -> new ApiException(ErrorCode.NOT_FOUND, "no such resource");
      case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this resource");
      case 413 -> new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is too large");
      case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the request body must be sent as application/json");
      case 429 -> new ApiException(ErrorCode.RATE_LIMITED, "too many requests");
      case 503 -> new ApiException(ErrorCode.UNAVAILABLE, "the service is unavailable");
      default -> status >= 400 && status < 500
          ? new ApiException(ErrorCode.MALFORMED_REQUEST, "the request was refused (HTTP " + status + ")")
          : internal(null, new IllegalStateException("failure with status " + status));
    };
  }

  private static ApiException internal(RoutingContext ctx, Throwable failure) {
    String correlationId = UUID.randomUUID().toString();
    if (ctx == null) {
      LOG.error("unexpected failure [cid: {}]", correlationId, failure);
    } else {
      LOG.error("unexpected failure [cid: {}, method: {}, path: {}]", correlationId,
          ctx.request().method(), ctx.request().path(), failure);
    }
    return new ApiException(ErrorCode.INTERNAL, "internal error; reference " + correlationId);
  }

  private static void write(RoutingContext ctx, ApiException problem) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      LOG.debug("problem not sent, response already ended [code: {}]", problem.code());
      return;
    }
    if (response.headWritten()) {
      LOG.warn("failure after the response started, resetting [code: {}, path: {}]",
          problem.code(), ctx.request().path());
      response.reset();
      return;
    }
    LOG.debug("request failed [method: {}, path: {}, code: {}, detail: {}]", ctx.request().method(),
        ctx.request().path(), problem.code(), problem.getMessage());
    response.setStatusCode(problem.code().status())
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .end(toJson(problem).toBuffer());
  }
}
