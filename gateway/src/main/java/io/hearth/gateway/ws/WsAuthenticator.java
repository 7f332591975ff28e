package io.hearth.gateway.ws;

import java.util.Optional;

/**
 * Checks the token of a WebSocket connection: the bearer token of the upgrade's
 * {@code Authorization} header, or of a first {@code {"type":"auth","token":"…"}} message. The
 * gateway wires the security package's {@code TokenWsAuthenticator} (access tokens, roles, the
 * session's command budget); {@link #ADMIT_ALL} is for tests of the socket alone. Implementations
 * must not block (no I/O): they run on the event loop.
 */
public interface WsAuthenticator {

  /** The principal of a token, or empty when the token is not valid (expired, unknown, revoked). */
  Optional<WsPrincipal> authenticate(String token);

  /**
   * The principal of a connection that presented no token at the upgrade; empty when it must send
   * an {@code auth} message first.
   */
  Optional<WsPrincipal> anonymous();

  /**
   * Admits every connection and accepts every token, each with every device visible and no
   * command limit. Tokens are NOT checked: never wire it in a gateway.
   */
  WsAuthenticator ADMIT_ALL = new WsAuthenticator() {
    @Override
    public Optional<WsPrincipal> authenticate(String token) {
      return Optional.of(WsPrincipal.everything("anyone"));
    }

    @Override
    public Optional<WsPrincipal> anonymous() {
      return Optional.of(WsPrincipal.everything("anyone"));
    }
  };
}
