package io.hearth.gateway.security;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open the WebSocket ({@code http.allowedOrigins}). A handshake without
 * an {@code Origin} header comes from a non-browser client (the phone app, curl) and is allowed; one
 * with an {@code Origin} is allowed only if that origin is listed ({@code scheme://host[:port]},
 * compared case-insensitively), or if the list holds {@code *}. With the default empty list no
 * browser page can open it, so a web page on the LAN cannot ride a user's session.
 */
public final class OriginChecker {
  private final Set<String> allowed;

  public OriginChecker(List<String> allowedOrigins) {
    this.allowed = Objects.requireNonNull(allowedOrigins, "allowedOrigins").stream()
        .map(OriginChecker::normalise).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
  }

  /** True if a handshake carrying this {@code Origin} header value (null: none) may go on. */
  public boolean allowed(String origin) {
    if (origin == null) {
      return true;
    }
    return allowed.contains("*") || allowed.contains(normalise(origin));
  }

  private static String normalise(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  @Override
  public String toString() {
    return "OriginChecker" + allowed;
  }
}
