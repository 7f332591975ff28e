package io.hearth.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.validation.ValidationContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST edge of the app API: a Vert.x {@link Router} built from the OpenAPI document on the
 * classpath ({@value #DOCUMENT}, copied from {@code docs/openapi.yaml} by the build), so that every
 * request is checked against the document before its handler runs.
 *
 * <p>Per request, in order: body read up to {@link ApiLimits#maxBodyBytes()} (else 413), JSON
 * limits checked by a streaming parser ({@link JsonBodyGuard}, else 400), path ids checked (404,
 * see {@link ParameterChecks}), parameters and body validated against the document (422/400/415),
 * then the operation's handler. Every failure becomes a problem+json response ({@link Problems}),
 * including unknown paths (404 NOT_FOUND) and wrong methods (405 METHOD_NOT_ALLOWED).
 *
 * <p>Handlers are keyed by operationId and read their input with {@link ApiRequest}. An operation
 * of the document without a handler answers 404 NOT_FOUND, as if it did not exist. {@code openapi}
 * (GET /api/v1/openapi.yaml) is served by this class unless the map overrides it.
 *
 * <p>Security: the document declares {@code bearerAuth} for every operation that does not say
 * {@code security: []}. It is enforced by an {@link ApiGuard} given to
 * {@link #create(Vertx, Map, ApiLimits, ApiGuard)}: {@link ApiGuard#authenticate} runs first for
 * every request under {@value #BASE_PATH} (before the body is read), {@link ApiGuard#authorize}
 * right before each operation's handler. Vert.x's own OpenAPI security handling stays off
 * ({@code setDoSecurity(false)}): the guard reads the document's requirements itself.
 */
public final class ApiRouter {
  /** Base path of the app API. */
  public static final String BASE_PATH = "/api/v1";
  /** Classpath location of the OpenAPI document. */
  public static final String DOCUMENT = "openapi/openapi.yaml";
  private static final String YAML = "application/yaml";

  private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);

  private ApiRouter() {
  }

  /**
   * Builds the router serving {@value #BASE_PATH}. Its routes carry full paths
   * ({@code /api/v1/devices}), so it can be given to {@code HttpServer.requestHandler} as it is;
   * other routes (e.g. the WebSocket) may be added to it.
   *
   * @param handlers handler per operationId of the document (unknown operationIds fail the future)
   * @param limits   request limits
   * @return the router, or a failure when the document cannot be loaded or a key is unknown
   */
  public static Future<Router> create(Vertx vertx, Map<String, Handler<RoutingContext>> handlers,
      ApiLimits limits) {
    return create(vertx, handlers, limits, null);
  }

  /**
   * Like {@link #create(Vertx, Map, ApiLimits)}, with access control.
   *
   * @param guard checks every request (null: none, every route is open)
   */
  public static Future<Router> create(Vertx vertx, Map<String, Handler<RoutingContext>> handlers,
      ApiLimits limits, ApiGuard guard) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(handlers, "handlers");
    Objects.requireNonNull(limits, "limits");
    MediaTypeRegistry mediaTypes = mediaTypes();
    return vertx.fileSystem().readFile(DOCUMENT)
        .compose(document -> OpenAPIContract.builder(vertx)
            .setContractPath(DOCUMENT)
            .mediaTypeRegistry(mediaTypes)
            .build()
            .map(contract -> build(vertx, contract, mediaTypes, document, handlers, limits, guard)));
  }

  /** Vert.x's media types and the document's response-only ones (not validated as requests). */
  static MediaTypeRegistry mediaTypes() {
    return MediaTypeRegistry.createDefault()
        .register(new ResponseMediaType(Problems.CONTENT_TYPE, ContentAnalyserFactory.json()))
        .register(new ResponseMediaType(YAML, ContentAnalyserFactory.noop()));
  }

  private static Router build(Vertx vertx, OpenAPIContract contract, MediaTypeRegistry mediaTypes, Buffer document,
      Map<String, Handler<RoutingContext>> handlers, ApiLimits limits, ApiGuard guard) {
    Set<String> operationIds = contract.operations().stream()
        .map(Operation::getOperationId).collect(Collectors.toSet());
    Set<String> unknown = handlers.keySet().stream()
        .filter(id -> !operationIds.contains(id)).collect(Collectors.toSet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("handlers for operations not in " + DOCUMENT + ": " + unknown);
    }
    Map<String, Handler<RoutingContext>> all = new HashMap<>(handlers);
    all.putIfAbsent("openapi", serveDocument(document));

    RequestExtractor extractor = new ParameterChecks(RequestExtractor.withBodyHandler(),
        contract.getSchemaRepository());
    InlineRequestValidator validator = new InlineRequestValidator(contract.getSchemaRepository(), mediaTypes);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, extractor)
        .rootHandler(new FormBodyRefusal())
        .rootHandler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()))
        .rootHandler(new JsonBodyGuard(limits));
    for (OpenAPIRoute route : builder.getRoutes()) {
      route.setDoSecurity(false);
      Handler<RoutingContext> handler = all.get(route.getOperation().getOperationId());
      if (handler == null) {
        route.setDoValidation(false)
            .addHandler(ctx -> ctx.fail(new ApiException(ErrorCode.NOT_FOUND, "no such resource")));
      } else {
        Operation operation = route.getOperation();
        // our own validation step (same checks, on the event loop, compiled schemas kept): see
        // InlineRequestValidator; the builder's own would hop to a worker and back per request
        route.setDoValidation(false).addHandler(ctx -> extractor.extractValidatableRequest(ctx, operation)
            .compose(request -> validator.validate(request, operation))
            .onSuccess(validated -> {
              ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
              ctx.next();
            })
            .onFailure(ctx::fail));
        if (guard != null) {
          route.addHandler(ctx -> guard.authorize(ctx, operation));
        }
        route.addHandler(handler);
      }
    }
    Router api = builder.createRouter();
    api.route().failureHandler(Problems.failureHandler());

    Router root = Router.router(vertx);
    if (guard != null) {
      root.route(BASE_PATH + "/*").handler(ctx -> guard.authenticate(ctx,
          contract.findOperation(ctx.request().path(), ctx.request().method())));
    }
    root.route(BASE_PATH + "/*").subRouter(api);
    Handler<RoutingContext> noMatch = noMatch(contract);
    for (Router router : new Router[] {root, api}) {
      router.errorHandler(404, noMatch).errorHandler(405, noMatch);
      for (int status : new int[] {400, 401, 403, 413, 415, 429, 500, 503}) {
        router.errorHandler(status, Problems.failureHandler());
      }
    }
    LOG.info("app API router built [operations: {}, handlers: {}, limits: {}, guarded: {}]", operationIds.size(),
        handlers.size(), limits, guard != null);
    return root;
  }

  /**
   * Nothing matched: 405 METHOD_NOT_ALLOWED (with {@code Allow}) when the path is one of the
   * document's paths, else 404 NOT_FOUND. Decided from the document, as Vert.x loses the 405 of a
   * sub-router.
   */
  private static Handler<RoutingContext> noMatch(OpenAPIContract contract) {
    return ctx -> {
      Path path = contract.findPath(ctx.request().path());
      if (path == null || path.getOperations().stream()
          .anyMatch(op -> op.getHttpMethod().equals(ctx.request().method()))) {
        Problems.send(ctx, new ApiException(ErrorCode.NOT_FOUND, "no such resource"));
        return;
      }
      ctx.response().putHeader(HttpHeaders.ALLOW, path.getOperations().stream()
          .map(op -> op.getHttpMethod().name()).sorted().collect(Collectors.joining(", ")));
      Problems.send(ctx, new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
          ctx.request().method().name() + " is not allowed here"));
    };
  }

  private static Handler<RoutingContext> serveDocument(Buffer document) {
    return ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, YAML + "; charset=utf-8")
        .end(document);
  }

  /** A media type the document uses that Vert.x OpenAPI does not register by default. */
  private record ResponseMediaType(String type, ContentAnalyserFactory analysers)
      implements MediaTypeRegistration {
    @Override
    public ContentAnalyser createContentAnalyser(String contentType, Buffer content, ValidationContext context) {
      return analysers.create(contentType, content, context);
    }

    @Override
    public boolean canHandle(String mediaType) {
      return mediaType != null && mediaType.split(";", 2)[0].trim().equalsIgnoreCase(type);
    }

    @Override
    public List<String> supportedTypes() {
      return List.of(type);
    }
  }
}
