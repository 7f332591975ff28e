package io.hearth.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.transformer.DeepObjectTransformer;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checks of Vert.x OpenAPI's request validator ({@code RequestValidator.create}), made cheap
 * enough for every request, from Vert.x's public API only (the contract, the schema repository,
 * the parameter transformers, the media type registry and the validation exceptions):
 * <ul>
 *   <li>run on the caller's event loop: Vert.x's own validator hands each request to a worker
 *       ({@code executeBlocking}, ordered per context) and back, two thread hops per request that
 *       also serialised the validation of all requests on the core context. The body was already
 *       bounded by {@link JsonBodyGuard} (size, depth, lengths), so its validation is bounded
 *       work;</li>
 *   <li>with one compiled JSON-schema {@link Validator} per schema of the document, kept for the
 *       life of the router: Vert.x's version builds a new one for every parameter and body of
 *       every request, which was the largest single cost of a request in the benchmark's
 *       profile;</li>
 *   <li>a body that {@link PlainObjectSchema} finds certainly valid (a plain command) skips the
 *       schema interpreter, the next largest cost; anything else still goes through it.</li>
 * </ul>
 * Answers and errors are those of the standard validator: the same transformations, the same
 * {@link ValidatorException}s made by the same factory methods, the same values in the
 * {@link ValidatedRequest} the handlers read ({@link ApiRequest}). {@code ApiRouterTest} pins them.
 */
final class InlineRequestValidator {
  private final SchemaRepository schemas;
  private final MediaTypeRegistry mediaTypes;
  private final Map<Style, ParameterTransformer> transformers = new EnumMap<>(Style.class);
  /** The quick check of each body schema of the document, or empty where it has none. */
  private final Map<Identity, Optional<PlainObjectSchema>> plainBodies = new ConcurrentHashMap<>();

  /**
   * @param schemas    the contract's schema repository
   * @param mediaTypes the registry the contract was built with (it decides how a body is read)
   */
  InlineRequestValidator(SchemaRepository schemas, MediaTypeRegistry mediaTypes) {
    this.schemas = new CachingSchemas(schemas);
    this.mediaTypes = Objects.requireNonNull(mediaTypes, "mediaTypes");
    transformers.put(Style.SIMPLE, new SimpleTransformer());
    transformers.put(Style.LABEL, new LabelTransformer());
    transformers.put(Style.MATRIX, new MatrixTransformer());
    transformers.put(Style.FORM, new FormTransformer());
    transformers.put(Style.DEEP_OBJECT, new DeepObjectTransformer());
  }

  /** Validates the request's parameters and body against the operation; fails with a {@link ValidatorException}. */
  Future<ValidatedRequest> validate(ValidatableRequest request, Operation operation) {
    try {
      Map<String, RequestParameter> cookies = new HashMap<>();
      Map<String, RequestParameter> headers = new HashMap<>();
      Map<String, RequestParameter> path = new HashMap<>();
      Map<String, RequestParameter> query = new HashMap<>();
      for (Parameter param : operation.getParameters()) {
        String name = param.getName();
        switch (param.getIn()) {
          case COOKIE -> cookies.put(name, parameter(param, request.getCookies().get(name)));
          case HEADER -> headers.put(name, parameter(param, request.getHeaders().get(name)));
          case PATH -> path.put(name, parameter(param, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, parameter(param, request.getQuery().get(name)));
          default -> { }
        }
      }
      RequestParameter body = body(operation.getRequestBody(), request);
      return Future.succeededFuture(new Validated(cookies, headers, path, query, body));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private RequestParameter parameter(Parameter parameter, RequestParameter value) {
    if (value == null || value.isNull()) {
      if (parameter.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(parameter);
      }
      return Value.NULL;
    }
    ParameterTransformer transformer = transformers.get(parameter.getStyle());
    if (transformer == null) {
      throw ValidatorException.createUnsupportedValueFormat(parameter);
    }
    Object transformed = transformer.transform(parameter, String.valueOf(value.get()));
    OutputUnit result = schemas.validator(parameter.getSchema()).validate(transformed);
    try {
      result.checkValidity();
      return new Value(transformed);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
  }

  private RequestParameter body(RequestBody requestBody, ValidatableRequest request) {
    if (requestBody == null) {
      return Value.NULL;
    }
    if (request.getBody() == null || request.getBody().isEmpty()) {
      if (requestBody.isRequired()) {
        throw new ValidatorException("The related request does not contain the required body.",
            ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
      }
      return Value.NULL;
    }
    String contentType = request.getContentType();
    MediaType mediaType = requestBody.determineContentType(contentType);
    Buffer content = request.getBody().getBuffer(Buffer.buffer());
    // the contract gave each media type of the document the registration the registry has for it
    MediaTypeRegistration registration = mediaType == null ? null : mediaTypes.get(mediaType.getIdentifier());
    ContentAnalyser analyser = registration == null ? null
        : registration.createContentAnalyser(contentType, content, ValidationContext.REQUEST);
    if (analyser == null) {
      throw new ValidatorException("The format of the " + ValidationContext.REQUEST + " body is not supported",
          ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    analyser.checkSyntacticalCorrectness();
    if (!schemaValidationRequired(mediaType)) {
      return new Value(content);
    }
    Object transformed = analyser.transform();
    if (plainBodies.computeIfAbsent(new Identity(mediaType.getSchema()),
        k -> Optional.ofNullable(PlainObjectSchema.of(mediaType.getSchema())))
        .map(p -> p.certainlyValid(transformed)).orElse(false)) {
      return new Value(transformed); // certainly valid: the interpreter would say the same, at far greater cost
    }
    OutputUnit result = schemas.validator(mediaType.getSchema()).validate(transformed);
    try {
      result.checkValidity();
      return new Value(transformed);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createInvalidValueBody(result, ValidationContext.REQUEST, e);
    }
  }

  /** False for a body without a schema, or a plain binary string: it is passed on as it came. */
  private static boolean schemaValidationRequired(MediaType mediaType) {
    JsonSchema schema = mediaType.getSchema();
    if (schema == null) {
      return false;
    }
    String type = schema.get("type");
    String format = schema.get("format");
    boolean noFurtherProperties = schema.fieldNames().size() == 2;
    return !("string".equalsIgnoreCase(type) && "binary".equalsIgnoreCase(format) && noFurtherProperties);
  }

  /** A validated value. */
  private record Value(Object value) implements RequestParameter {
    static final Value NULL = new Value(null);

    @Override
    public Object get() {
      return value;
    }
  }

  /** The validated parameters and body. */
  private record Validated(Map<String, RequestParameter> cookies, Map<String, RequestParameter> headers,
      Map<String, RequestParameter> path, Map<String, RequestParameter> query, RequestParameter body)
      implements ValidatedRequest {
    @Override
    public Map<String, RequestParameter> getCookies() {
      return cookies;
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return path;
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return query;
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return headers;
    }

    @Override
    public RequestParameter getBody() {
      return body;
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
