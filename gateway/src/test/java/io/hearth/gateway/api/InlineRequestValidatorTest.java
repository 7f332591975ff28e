package io.hearth.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tier 2: {@link InlineRequestValidator} answers as Vert.x's own validator
 * ({@link RequestValidator#create}) does, on the app API's document: the same values when a
 * request passes, the same exception (class, type, message) when it does not.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InlineRequestValidatorTest {
  private static final String JSON = "application/json";

  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static RequestValidator standard;
  private static InlineRequestValidator inline;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    var mediaTypes = ApiRouter.mediaTypes();
    contract = await(OpenAPIContract.builder(vertx).setContractPath(ApiRouter.DOCUMENT)
        .mediaTypeRegistry(mediaTypes).build());
    standard = RequestValidator.create(vertx, contract);
    inline = new InlineRequestValidator(contract.getSchemaRepository(), mediaTypes);
  }

  @AfterAll
  static void close() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  /** A request as {@code RequestExtractor} hands it over: raw strings and the body's buffer. */
  record Request(String name, String operationId, Map<String, RequestParameter> getPathParameters,
      Map<String, RequestParameter> getQuery, Map<String, RequestParameter> getHeaders, String getContentType,
      RequestParameter getBody) implements ValidatableRequest {
    @Override
    public Map<String, RequestParameter> getCookies() {
      return Map.of();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  record Raw(Object value) implements RequestParameter {
    @Override
    public Object get() {
      return value;
    }
  }

  private static Request request(String name, String operationId, Map<String, String> path, Map<String, String> query,
      Map<String, String> headers, String contentType, String body) {
    Function<Map<String, String>, Map<String, RequestParameter>> raw = m -> m.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> new Raw(e.getValue())));
    return new Request(name, operationId, raw.apply(path), raw.apply(query), raw.apply(headers), contentType,
        new Raw(body == null ? null : Buffer.buffer(body)));
  }

  static Stream<Request> requests() {
    Map<String, String> lamp = Map.of("id", "lamp-1");
    return Stream.of(
        request("a command", "sendCommand", lamp, Map.of(), Map.of(), JSON, "{\"set\":{\"on\":true}}"),
        request("a command with charset", "sendCommand", lamp, Map.of(), Map.of("Idempotency-Key", "k-1"),
            JSON + "; charset=utf-8", "{\"action\":\"toggle\",\"timeoutMs\":500,\"wait\":false}"),
        request("set is not an object", "sendCommand", lamp, Map.of(), Map.of(), JSON, "{\"set\":1}"),
        request("set and action", "sendCommand", lamp, Map.of(), Map.of(), JSON,
            "{\"set\":{\"on\":true},\"action\":\"x\"}"),
        request("no body", "sendCommand", lamp, Map.of(), Map.of(), JSON, null),
        request("an empty body", "sendCommand", lamp, Map.of(), Map.of(), JSON, ""),
        request("text body", "sendCommand", lamp, Map.of(), Map.of(), "text/plain", "on"),
        request("no content type", "sendCommand", lamp, Map.of(), Map.of(), null, "{\"set\":{\"on\":true}}"),
        request("broken JSON", "sendCommand", lamp, Map.of(), Map.of(), JSON, "{\"set\":"),
        request("an idempotency key too long", "sendCommand", lamp, Map.of(), Map.of("Idempotency-Key",
            "k".repeat(256)), JSON, "{\"set\":{\"on\":true}}"),
        request("no path id", "sendCommand", Map.of(), Map.of(), Map.of(), JSON, "{\"set\":{\"on\":true}}"),
        request("a room filter", "listDevices", Map.of(), Map.of("room", "kitchen"), Map.of(), null, null),
        request("an empty room filter", "listDevices", Map.of(), Map.of("room", ""), Map.of(), null, null),
        request("no filters", "listDevices", Map.of(), Map.of(), Map.of(), null, null),
        request("approval without body", "approveDevice", lamp, Map.of(), Map.of(), null, null),
        request("approval with a name", "approveDevice", lamp, Map.of(), Map.of(), JSON, "{\"name\":\"Porch\"}"),
        request("a device", "registerDevice", Map.of(), Map.of(), Map.of(), JSON,
            "{\"id\":\"lamp-2\",\"name\":\"Lamp\",\"profile\":\"light.dimmable\","
                + "\"binding\":{\"protocol\":\"mqtt\",\"convention\":\"hearth\"}}"),
        request("a device without binding", "registerDevice", Map.of(), Map.of(), Map.of(), JSON,
            "{\"id\":\"lamp-2\",\"name\":\"Lamp\",\"profile\":\"light.dimmable\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void answersAsVertxOwnValidator(Request request) throws Exception {
    // GIVEN the same request for both validators
    var operation = contract.operation(request.operationId());

    // WHEN each validates it
    Future<ValidatedRequest> expected = standard.validate(request, request.operationId());
    Future<ValidatedRequest> actual = inline.validate(request, operation);
    await(expected.transform(r -> Future.succeededFuture()));

    // THEN the inline one answered at once, with the standard one's outcome
    assertTrue(actual.isComplete(), "validated on the caller's thread");
    assertEquals(expected.succeeded(), actual.succeeded(),
        () -> "standard: " + expected.cause() + ", inline: " + actual.cause());
    if (expected.succeeded()) {
      assertEquals(values(expected.result()), values(actual.result()));
    } else {
      ValidatorException e = assertInstanceOf(ValidatorException.class, expected.cause());
      ValidatorException a = assertInstanceOf(ValidatorException.class, actual.cause());
      assertEquals(e.getClass(), a.getClass());
      assertEquals(e.type(), a.type());
      assertEquals(e.getMessage(), a.getMessage());
    }
  }

  private static Map<String, Object> values(ValidatedRequest r) {
    Map<String, Object> out = new HashMap<>();
    for (var part : List.of(Map.entry("cookie", r.getCookies()), Map.entry("header", r.getHeaders()),
        Map.entry("path", r.getPathParameters()), Map.entry("query", r.getQuery()))) {
      part.getValue().forEach((name, p) -> out.put(part.getKey() + ":" + name, p.get()));
    }
    out.put("body", r.getBody() == null ? null : r.getBody().get());
    return out;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
