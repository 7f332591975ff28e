package io.hearth.gateway.security;

import io.hearth.gateway.ws.WsAuthenticator;
import io.hearth.gateway.ws.WsPrincipal;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The WebSocket's authenticator over the app API's access tokens: a connection presents a token at
 * the upgrade or in its first {@code auth} message, sees exactly the devices its role may see,
 * scopes its idempotency keys to its user and spends its session's command budget (the one REST
 * spends). A connection without a token must authenticate first.
 */
public final class TokenWsAuthenticator implements WsAuthenticator {
  private final TokenVerifier verifier;
  private final ToLongFunction<Principal> commandRetryAfter;

  /**
   * @param verifier          checks access tokens
   * @param commandRetryAfter takes one command from a principal's budget: 0 to go on, else the
   *                          seconds to wait ({@link Security#commandRetryAfter(Principal)})
   */
  public TokenWsAuthenticator(TokenVerifier verifier, ToLongFunction<Principal> commandRetryAfter) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.commandRetryAfter = Objects.requireNonNull(commandRetryAfter, "commandRetryAfter");
  }

  @Override
  public Optional<WsPrincipal> authenticate(String token) {
    return verifier.verify(token).map(p -> new WsPrincipal(p.name(), p.canSee(), p.userId(),
        () -> commandRetryAfter.applyAsLong(p)));
  }

  @Override
  public Optional<WsPrincipal> anonymous() {
    return Optional.empty();
  }
}
