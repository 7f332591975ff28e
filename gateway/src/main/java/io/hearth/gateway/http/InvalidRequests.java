package io.hearth.gateway.http;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests the HTTP codec could not parse (docs/api.md#errors) with a problem, like every
 * other error: a request line over the limit is 414 {@code URI_TOO_LONG}, headers over the limit
 * 431 {@code HEADERS_TOO_LARGE}, anything else 400 {@code MALFORMED_REQUEST}; the connection is
 * closed after the answer (the rest of the stream cannot be trusted). Replaces Vert.x's default,
 * which answers with an empty body.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidRequests.class);

  @Override
  public void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    ApiException problem = problemFor(cause);
    LOG.debug("unparseable request refused [code: {}, reason: {}]", problem.code(),
        cause == null ? "unknown" : cause.getMessage());
    if (request.response().ended() || request.response().closed()) {
      return;
    }
    request.response()
        .setStatusCode(problem.code().status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Problems.toJson(problem).toBuffer())
        .onComplete(ar -> request.connection().close());
  }

  static ApiException problemFor(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new ApiException(ErrorCode.URI_TOO_LONG, "the request line is longer than the server accepts");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new ApiException(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than the server accepts");
    }
    return new ApiException(ErrorCode.MALFORMED_REQUEST, "the request is not valid HTTP");
  }
}
