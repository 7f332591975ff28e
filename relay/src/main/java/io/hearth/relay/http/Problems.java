package io.hearth.relay.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every relay failure as {@code application/problem+json}: {@code {"type","title","status","detail","code"}}. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static JsonObject json(RelayError e, String detail) {
    return new JsonObject().put("type", e.type()).put("title", e.title()).put("status", e.status())
        .put("detail", detail).put("code", e.name());
  }

  public static void send(HttpServerResponse res, RelayError e, String detail) {
    send(res, new RelayException(e, detail));
  }

  /** A {@link RelayException} as it says; anything else is a bug: 500 with a reference that is in the log. */
  public static void send(HttpServerResponse res, Throwable failure) {
    RelayException e;
    if (failure instanceof RelayException r) {
      e = r;
    } else {
      String ref = UUID.randomUUID().toString();
      LOG.error("internal error [ref: {}]", ref, failure);
      e = new RelayException(RelayError.INTERNAL, "internal error (ref " + ref + ")");
    }
    if (res.ended() || res.headWritten()) {
      return;
    }
    res.setStatusCode(e.error().status()).putHeader("Content-Type", CONTENT_TYPE);
    if (e.retryAfterSeconds() != null) {
      res.putHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
    res.end(json(e.error(), e.getMessage()).encode());
  }
}
