package io.hearth.gateway.api;

import io.hearth.gateway.domain.FieldError;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.ValidatableRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RequestExtractor} that checks the operation's string parameters (path, query, header)
 * against their schemas in the document before the standard extraction and validation, so that
 * the answer names the parameter:
 * <ul>
 *   <li>a path parameter marked {@code x-hearth-not-found: <ERROR_CODE>} whose value cannot name a
 *       resource (e.g. a device id outside {@code ^[a-z0-9_-]{1,64}$}) answers 404 with that code,
 *       as a well-formed but unknown id would;</li>
 *   <li>any other violating string parameter answers 422 VALIDATION_FAILED with one entry per
 *       problem whose {@code property} is the parameter's name ({@code Idempotency-Key}).</li>
 * </ul>
 * Missing required parameters and non-string parameters are left to the standard validator.
 */
final class ParameterChecks implements RequestExtractor {
  static final String NOT_FOUND_EXTENSION = "x-hearth-not-found";
  private static final int MAX_ECHO = 64;

  private final RequestExtractor delegate;
  private final SchemaRepository schemas;
  private final Map<String, List<Check>> checks = new ConcurrentHashMap<>();

  ParameterChecks(RequestExtractor delegate, SchemaRepository schemas) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
  }

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext ctx, Operation operation) {
    List<FieldError> errors = new ArrayList<>();
    for (Check check : checks.computeIfAbsent(operation.getOperationId(), id -> checksOf(operation))) {
      String value = valueOf(ctx, check);
      if (value == null) {
        if (check.notFound() != null) {
          return Future.failedFuture(notFound(check.notFound(), check.name(), ""));
        }
        continue;
      }
      if (check.passed(value)) {
        continue;
      }
      OutputUnit result = check.validator().validate(value);
      if (Boolean.TRUE.equals(result.getValid())) {
        check.remember(value);
      } else {
        if (check.notFound() != null) {
          return Future.failedFuture(notFound(check.notFound(), check.name(), value));
        }
        SchemaErrors.of(result).forEach(e -> errors.add(new FieldError(check.name(), e.message())));
      }
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(ApiException.validation(errors));
    }
    return delegate.extractValidatableRequest(ctx, operation);
  }

  private static String valueOf(RoutingContext ctx, Check check) {
    return switch (check.in()) {
      case PATH -> ctx.pathParam(check.name());
      case QUERY -> ctx.queryParams().get(check.name());
      case HEADER -> ctx.request().getHeader(check.name());
      default -> null;
    };
  }

  private List<Check> checksOf(Operation operation) {
    return operation.getParameters().stream()
        .filter(p -> p.getSchemaType() == SchemaType.STRING)
        .filter(p -> p.getIn() == Location.PATH || p.getIn() == Location.QUERY || p.getIn() == Location.HEADER)
        .map(this::checkOf)
        .toList();
  }

  private Check checkOf(Parameter parameter) {
    Object code = parameter.getExtensions().get(NOT_FOUND_EXTENSION);
    ErrorCode notFound = code instanceof String name && parameter.getIn() == Location.PATH
        ? ErrorCode.valueOf(name) : null;
    return new Check(parameter.getName(), parameter.getIn(), notFound, schemas.validator(parameter.getSchema()));
  }

  private static ApiException notFound(ErrorCode code, String name, String value) {
    String shown = value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "…" : value;
    return switch (code) {
      case DEVICE_NOT_FOUND -> ApiException.deviceNotFound(shown);
      case COMMAND_NOT_FOUND -> new ApiException(code, "no command '" + shown + "'");
      default -> new ApiException(code, "no " + name + " '" + shown + "'");
    };
  }

  /**
   * One parameter to check; {@code notFound} is null unless a bad value means "no such resource".
   * Values that passed are remembered (a schema's verdict on a string never changes), so the same
   * device id is not validated again on every request: Vert.x's schema validator recompiles a
   * {@code pattern} at each call, which was a tenth of the REST edge's time in the throughput
   * benchmark. Bounded: the set starts over when it holds {@value #MAX_REMEMBERED} values.
   */
  private record Check(String name, Location in, ErrorCode notFound, Validator validator, Set<String> valid) {
    static final int MAX_REMEMBERED = 4096;

    Check(String name, Location in, ErrorCode notFound, Validator validator) {
      this(name, in, notFound, validator, ConcurrentHashMap.newKeySet());
    }

    boolean passed(String value) {
      return valid.contains(value);
    }

    void remember(String value) {
      if (valid.size() >= MAX_REMEMBERED) {
        valid.clear();
      }
      valid.add(value);
    }
  }
}
