package io.hearth.gateway.api;

import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;

/**
 * Access control of the app API, called by {@link ApiRouter} at two points of every request; the
 * document's {@code security} of each operation says what it needs (implemented by
 * {@code io.hearth.gateway.security.AccessGuard}). Each method must either answer the request (a
 * problem) or call {@code ctx.next()}.
 */
public interface ApiGuard {

  /**
   * First, before the body is read: checks the bearer token of an operation that needs one.
   *
   * @param operation the document's operation for the request's method and path; null when there
   *                  is none (the router then answers 404/405, or a route added outside the
   *                  document, such as the WebSocket, handles it and authenticates by itself)
   */
  void authenticate(RoutingContext ctx, Operation operation);

  /**
   * After the request was validated against the document, right before the operation's handler
   * (path parameters are parsed): roles, device visibility, rate limits.
   */
  void authorize(RoutingContext ctx, Operation operation);
}
