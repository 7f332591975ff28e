package io.hearth.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Locale;

/**
 * Refuses form bodies ({@code application/x-www-form-urlencoded}, {@code multipart/*}) with 415
 * before the body handler reads them: every operation takes JSON (docs/api.md), and Vert.x would
 * otherwise decode the form and fail on garbage such as {@code %ZZ} with an exception that is not
 * the client's fault to see as a 500. Nothing of the body is read. A {@link PlatformHandler} so the
 * router lets it run before the body handler.
 */
final class FormBodyRefusal implements PlatformHandler {

  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && isForm(type)) {
      ctx.fail(new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be sent as application/json"));
      return;
    }
    ctx.next();
  }

  static boolean isForm(String contentType) {
    String t = contentType.trim().toLowerCase(Locale.ROOT);
    return t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded");
  }
}
