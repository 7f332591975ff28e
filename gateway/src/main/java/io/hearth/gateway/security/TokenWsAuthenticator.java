package io.hearth.gateway.security;

import io.hearth.gateway.ws.WsAuthenticator;
import io.hearth.gateway.ws.WsPrincipal;
import java.util.Objects;
import java.util.Optional;

/**
 * The WebSocket's authenticator over the app API's access tokens: a connection presents a token at
 * the upgrade or in its first {@code auth} message, and sees exactly the devices its role may see.
 * A connection without a token must authenticate first.
 */
public final class TokenWsAuthenticator implements WsAuthenticator {
  private final TokenVerifier verifier;

  public TokenWsAuthenticator(TokenVerifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  @Override
  public Optional<WsPrincipal> authenticate(String token) {
    return verifier.verify(token).map(p -> new WsPrincipal(p.name(), p.canSee()));
  }

  @Override
  public Optional<WsPrincipal> anonymous() {
    return Optional.empty();
  }
}
