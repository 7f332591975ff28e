package io.hearth.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vert.x OpenAPI's request validator, made cheap enough for every request: the same checks
 * ({@link RequestValidatorImpl#validateParameter}, {@link RequestValidatorImpl#validateBody}), but
 * <ul>
 *   <li>run on the caller's event loop: Vert.x's own version hands each request to a worker
 *       ({@code executeBlocking}, ordered per context) and back, two thread hops per request that
 *       also serialised the validation of all requests on the core context. The body was already
 *       bounded by {@link JsonBodyGuard} (size, depth, lengths), so its validation is bounded
 *       work;</li>
 *   <li>with one compiled JSON-schema {@link Validator} per schema of the document, kept for the
 *       life of the router: Vert.x's version builds a new one for every parameter and body of
 *       every request, which was the largest single cost of a request in the benchmark's
 *       profile.</li>
 * </ul>
 * Answers and errors are exactly the standard validator's (a failed future with its {@code
 * ValidatorException}).
 */
final class InlineRequestValidator extends RequestValidatorImpl {

  InlineRequestValidator(Vertx vertx, OpenAPIContract contract) {
    super(vertx, new CachingContract(contract));
  }

  @Override
  public Future<ValidatedRequest> validate(ValidatableRequest request, String operationId) {
    Operation operation = contract.operation(Objects.requireNonNull(operationId, "operationId"));
    if (operation == null) {
      return getOperation(operationId).mapEmpty(); // the standard "invalid operationId" failure
    }
    try {
      Map<String, RequestParameter> cookies = new HashMap<>();
      Map<String, RequestParameter> headers = new HashMap<>();
      Map<String, RequestParameter> path = new HashMap<>();
      Map<String, RequestParameter> query = new HashMap<>();
      for (Parameter param : operation.getParameters()) {
        String name = param.getName();
        switch (param.getIn()) {
          case COOKIE -> cookies.put(name, validateParameter(param, request.getCookies().get(name)));
          case HEADER -> headers.put(name, validateParameter(param, request.getHeaders().get(name)));
          case PATH -> path.put(name, validateParameter(param, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, validateParameter(param, request.getQuery().get(name)));
          default -> { }
        }
      }
      RequestParameter body = validateBody(operation.getRequestBody(), request);
      return Future.succeededFuture(new ValidatedRequestImpl(cookies, headers, path, query, body));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The contract as it is, but for a schema repository that keeps its validators. */
  private record CachingContract(OpenAPIContract delegate, SchemaRepository schemas) implements OpenAPIContract {
    CachingContract(OpenAPIContract delegate) {
      this(delegate, new CachingSchemas(delegate.getSchemaRepository()));
    }

    @Override
    public Operation operation(String operationId) {
      return delegate.operation(operationId);
    }

    @Override
    public List<Operation> operations() {
      return delegate.operations();
    }

    @Override
    public List<Path> getPaths() {
      return delegate.getPaths();
    }

    @Override
    public JsonObject getRawContract() {
      return delegate.getRawContract();
    }

    @Override
    public OpenAPIVersion getVersion() {
      return delegate.getVersion();
    }

    @Override
    public SchemaRepository getSchemaRepository() {
      return schemas;
    }

    @Override
    public List<Server> getServers() {
      return delegate.getServers();
    }

    @Override
    public Path findPath(String urlPath) {
      return delegate.findPath(urlPath);
    }

    @Override
    public Operation findOperation(String urlPath, io.vertx.core.http.HttpMethod method) {
      return delegate.findOperation(urlPath, method);
    }

    @Override
    public List<SecurityRequirement> getSecurityRequirements() {
      return delegate.getSecurityRequirements();
    }

    @Override
    public SecurityScheme securityScheme(String name) {
      return delegate.securityScheme(name);
    }
  }

  /**
   * Keeps the validator of each schema object. The document's schemas are a fixed set of objects,
   * so the cache holds at most one entry per schema of the document; past {@link #MAX_ENTRIES}
   * (schemas made per request, which the current Vert.x does not do) it stops caching rather than
   * grow.
   */
  private static final class CachingSchemas implements SchemaRepository {
    private static final int MAX_ENTRIES = 4096;

    private final SchemaRepository delegate;
    private final Map<Identity, Validator> validators = new ConcurrentHashMap<>();

    CachingSchemas(SchemaRepository delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Validator validator(JsonSchema schema) {
      Identity key = new Identity(schema);
      Validator cached = validators.get(key);
      if (cached != null) {
        return cached;
      }
      Validator made = delegate.validator(schema);
      if (validators.size() < MAX_ENTRIES) {
        validators.putIfAbsent(key, made);
      }
      return made;
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
      return delegate.dereference(schema);
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
      return delegate.dereference(uri, schema);
    }

    @Override
    public SchemaRepository preloadMetaSchema(io.vertx.core.file.FileSystem fs) {
      return delegate.preloadMetaSchema(fs);
    }

    @Override
    public SchemaRepository preloadMetaSchema(io.vertx.core.file.FileSystem fs, io.vertx.json.schema.Draft draft) {
      return delegate.preloadMetaSchema(fs, draft);
    }

    @Override
    public Validator validator(String ref) {
      return delegate.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return delegate.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return delegate.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return delegate.resolve(schema);
    }

    @Override
    public JsonSchema find(String uri) {
      return delegate.find(uri);
    }
  }

  /** A schema object by identity (JsonSchema's own equality compares JSON content). */
  private record Identity(JsonSchema schema) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.schema == schema;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema);
    }
  }
}
