package io.hearth.gateway.security;

import java.util.Optional;

/**
 * Checks an access token (the value after {@code Bearer }): signature, issuer, expiry, and that its
 * user still exists. Thread-safe, non-blocking and cheap: the WebSocket calls it at the upgrade or
 * on the first {@code {"type":"auth"}} message, the REST guard on every request.
 */
public interface TokenVerifier {

  /** The principal of a valid token; empty for a missing, malformed, forged or expired one. */
  Optional<Principal> verify(String bearerToken);
}
