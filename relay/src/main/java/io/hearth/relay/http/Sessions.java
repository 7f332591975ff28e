package io.hearth.relay.http;

import io.hearth.relay.store.RelayStore;
import io.hearth.relay.store.Secrets;
import io.hearth.relay.store.StoreExecutor;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.Objects;

/**
 * Relay login sessions (docs/relay.md, "WeChat login"): an opaque token given once by
 * {@code POST /relay/v1/auth/wechat}, sent back in {@code X-Hearth-Relay-Session} on every call, kept
 * as its SHA-256 only, valid {@code sessions.ttlSeconds}.
 */
public final class Sessions {
  public static final String HEADER = "X-Hearth-Relay-Session";
  private final StoreExecutor store;
  private final int ttlSeconds;

  public Sessions(StoreExecutor store, int ttlSeconds) {
    this.store = Objects.requireNonNull(store);
    this.ttlSeconds = ttlSeconds;
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** A new session for this user; the token is returned once and stored hashed. */
  public Future<String> create(String openid, String unionid) {
    String token = Secrets.token();
    RelayStore.Session s = new RelayStore.Session(openid, unionid, System.currentTimeMillis() + ttlSeconds * 1000L);
    return store.call(st -> {
      st.addSession(Secrets.sha256(token), s);
      return token;
    });
  }

  /** The request's session, or a 401 {@code RELAY_SESSION_INVALID}. */
  public Future<RelayStore.Session> check(HttpServerRequest req) {
    String token = req.getHeader(HEADER);
    if (token == null || token.isBlank() || token.length() > 256) {
      return Future.failedFuture(new RelayException(RelayError.RELAY_SESSION_INVALID,
          "missing " + HEADER + " header: log in with POST /relay/v1/auth/wechat"));
    }
    String hash = Secrets.sha256(token.trim());
    return store.call(s -> s.session(hash, System.currentTimeMillis())).compose(found -> found.isPresent()
        ? Future.succeededFuture(found.get())
        : Future.failedFuture(new RelayException(RelayError.RELAY_SESSION_INVALID,
            "the relay session is unknown or expired: log in again with POST /relay/v1/auth/wechat")));
  }
}
