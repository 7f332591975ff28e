package io.hearth.gateway.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;
import java.util.Optional;

/**
 * How an app API handler reads its request once {@link ApiRouter} has validated it against the
 * OpenAPI document. A handler only runs after validation passed, so these never see a body or
 * parameter that breaks the document; schema {@code default}s are NOT filled in (e.g. a handler of
 * {@code sendCommand} applies {@code timeoutMs} 5000 and {@code wait} true itself).
 *
 * <pre>{@code
 * handlers.put("sendCommand", ctx -> {
 *   String id = ApiRequest.pathParam(ctx, "id");
 *   JsonObject body = ApiRequest.body(ctx);                   // {"set":{…}} or {"action":…}
 *   int timeoutMs = body.getInteger("timeoutMs", 5000);
 *   Optional<String> key = ApiRequest.header(ctx, "Idempotency-Key");
 *   …
 * });
 * }</pre>
 * The raw form is {@code ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST)}.
 */
public final class ApiRequest {

  private ApiRequest() {
  }

  /** The validated request of {@code ctx}. */
  public static ValidatedRequest validated(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    if (request == null) {
      throw new IllegalStateException("no validated request: the handler is not behind ApiRouter validation");
    }
    return request;
  }

  /** The validated JSON object body; an empty object when the operation has none. */
  public static JsonObject body(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    return body == null || body.isNull() || !body.isJsonObject() ? new JsonObject() : body.getJsonObject();
  }

  /** A path parameter (required by the document, so never null for its operation). */
  public static String pathParam(RoutingContext ctx, String name) {
    return string(validated(ctx).getPathParameters(), name).orElse(null);
  }

  /** A query parameter, when given. */
  public static Optional<String> query(RoutingContext ctx, String name) {
    return string(validated(ctx).getQuery(), name);
  }

  /** A header parameter declared in the document (by its declared name, e.g. {@code Idempotency-Key}). */
  public static Optional<String> header(RoutingContext ctx, String name) {
    return string(validated(ctx).getHeaders(), name);
  }

  private static Optional<String> string(Map<String, RequestParameter> params, String name) {
    RequestParameter param = params == null ? null : params.get(name);
    if (param == null || param.isNull() || param.get() == null) {
      return Optional.empty();
    }
    return Optional.of(String.valueOf(param.get()));
  }
}
