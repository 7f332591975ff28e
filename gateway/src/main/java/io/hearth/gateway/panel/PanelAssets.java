package io.hearth.gateway.panel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web panel's static files ({@code docs/panel.md}): {@code GET /} is the panel's page,
 * {@code /panel/*} its own modules and styles (from the jar's {@code panel/} folder, {@code no-cache}
 * with an {@code ETag}, so a new gateway version is picked up at the next load), and
 * {@code /webjars/*} the libraries it uses (WebJars on the classpath; their paths carry the version,
 * so they are {@code immutable}). Every answer carries a strict Content-Security-Policy: scripts,
 * styles and connections only from the gateway's own origin, nothing inline, no framing.
 *
 * <p>Files are read from the classpath on a worker the first time they are asked for, then kept in
 * memory (the panel is a few dozen KiB); a path outside the allowed shape or a missing file is 404
 * through the router's usual error handling.
 */
public final class PanelAssets {
  /** The policy every panel answer carries; 'self' covers the same-origin ws:/wss: socket. */
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "json", "application/json",
      "webmanifest", "application/manifest+json", "txt", "text/plain; charset=utf-8");

  private final Vertx vertx;
  private final ClassLoader loader;
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  /** A file as served: its bytes, media type and entity tag. */
  record Asset(Buffer body, String type, String etag) {}

  public PanelAssets(Vertx vertx) {
    this(vertx, PanelAssets.class.getClassLoader());
  }

  PanelAssets(Vertx vertx, ClassLoader loader) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** Adds the panel's routes to {@code router} (next to {@code /api/v1}, which they never shadow). */
  public Router mount(Router router) {
    router.route(HttpMethod.GET, "/").handler(ctx -> serve(ctx, "panel/index.html", REVALIDATE));
    router.route(HttpMethod.GET, "/panel/*").handler(ctx -> serve(ctx, "panel/" + ctx.pathParam("*"), REVALIDATE));
    router.route(HttpMethod.GET, "/webjars/*")
        .handler(ctx -> serve(ctx, "META-INF/resources/webjars/" + ctx.pathParam("*"), IMMUTABLE));
    return router;
  }

  private void serve(RoutingContext ctx, String resource, String cacheControl) {
    String tail = resource.substring(resource.indexOf('/') + 1);
    if (!SAFE_PATH.matcher(resource).matches() || tail.isEmpty() || typeOf(resource) == null) {
      ctx.next(); // falls through to the router's 404
      return;
    }
    Asset cached = cache.get(resource);
    Future<Optional<Asset>> asset = cached != null ? Future.succeededFuture(Optional.of(cached))
        : vertx.executeBlocking(() -> load(resource), false);
    asset.onComplete(r -> {
      if (r.failed() || r.result().isEmpty()) {
        ctx.next();
        return;
      }
      Asset a = r.result().get();
      cache.putIfAbsent(resource, a);
      HttpServerResponse res = ctx.response();
      securityHeaders(res).putHeader(HttpHeaders.CACHE_CONTROL, cacheControl).putHeader(HttpHeaders.ETAG, a.etag());
      if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), a.etag())) {
        res.setStatusCode(304).end();
      } else {
        res.putHeader(HttpHeaders.CONTENT_TYPE, a.type()).end(a.body());
      }
    });
  }

  /** The headers every panel answer carries. */
  static HttpServerResponse securityHeaders(HttpServerResponse res) {
    return res.putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer").putHeader("X-Frame-Options", "DENY");
  }

  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  static String typeOf(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(path.substring(dot + 1));
  }

  private Optional<Asset> load(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
      return Optional.of(new Asset(Buffer.buffer(bytes), typeOf(resource), "\"" + hash + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
