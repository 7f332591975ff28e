package io.hearth.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The app API edge on a real HTTP server: validation, limits and problem+json errors. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiRouterTest {
  /** Defaults but a larger body, so that a 100,000-deep body reaches the JSON guard. */
  private static final ApiLimits LIMITS = new ApiLimits(256 * 1024, 32, 16 * 1024, 100);

  private static Vertx vertx;
  private static HttpServer server;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx(Metrics.vertxOptions(new VertxOptions()));
    Router router = await(ApiRouter.create(vertx, handlers(), LIMITS));
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  private static Map<String, Handler<RoutingContext>> handlers() {
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    handlers.put("listDevices", ctx -> ctx.json(new JsonObject()
        .put("devices", new JsonArray())
        .put("room", ApiRequest.query(ctx, "room").orElse(null))));
    handlers.put("getDevice", ctx -> ctx.json(new JsonObject().put("id", ApiRequest.pathParam(ctx, "id"))));
    handlers.put("registerDevice", ctx -> ctx.response().setStatusCode(201)
        .putHeader("Content-Type", "application/json").end(ApiRequest.body(ctx).encode()));
    handlers.put("sendCommand", ctx -> {
      String id = ApiRequest.pathParam(ctx, "id");
      if (id.equals("offline-lamp")) {
        throw new ApiException(ErrorCode.DEVICE_OFFLINE, "device 'offline-lamp' is offline");
      }
      if (id.equals("boom")) {
        throw new IllegalStateException("secret internal detail");
      }
      ctx.json(new JsonObject()
          .put("id", id)
          .put("body", ApiRequest.body(ctx))
          .put("idempotencyKey", ApiRequest.header(ctx, "Idempotency-Key").orElse(null)));
    });
    handlers.put("health", ctx -> ctx.json(new JsonObject().put("status", "up")));
    handlers.put("metrics", Metrics.handler());
    return handlers;
  }

  // --- happy paths ---

  @Test
  void validCommandReachesHandlerWithParsedBodyAndParams() throws Exception {
    // GIVEN a well-formed command with an idempotency key
    JsonObject command = new JsonObject().put("set", new JsonObject().put("power", true).put("brightness", 60))
        .put("timeoutMs", 1000).put("wait", false);
    // WHEN it is posted
    HttpResponse<Buffer> response = await(post("/api/v1/devices/living-lamp/commands")
        .putHeader("Idempotency-Key", "k-1").sendJsonObject(command));
    // THEN the handler saw the parsed body, the id and the header
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject echo = response.bodyAsJsonObject();
    assertEquals("living-lamp", echo.getString("id"));
    assertEquals(command, echo.getJsonObject("body"));
    assertEquals("k-1", echo.getString("idempotencyKey"));
  }

  @Test
  void actionCommandAndQueryParametersAreAccepted() throws Exception {
    HttpResponse<Buffer> action = await(post("/api/v1/devices/curtain/commands")
        .sendJsonObject(new JsonObject().put("action", "open").put("input", new JsonObject())));
    assertEquals(200, action.statusCode(), action.bodyAsString());

    HttpResponse<Buffer> list = await(client.get("/api/v1/devices").addQueryParam("room", "living").send());
    assertEquals(200, list.statusCode(), list.bodyAsString());
    assertEquals("living", list.bodyAsJsonObject().getString("room"));
  }

  @Test
  void registerDeviceAcceptsADevicesYamlEntry() throws Exception {
    JsonObject device = new JsonObject().put("id", "porch-light").put("profile", "light.dimmable")
        .put("binding", new JsonObject().put("protocol", "coap").put("uri", "coap://127.0.0.1:5702")
            .put("convention", "generic").put("state", "/state").put("write", "replace"));
    HttpResponse<Buffer> response = await(post("/api/v1/devices").sendJsonObject(device));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    assertEquals(device, response.bodyAsJsonObject());
  }

  @Test
  void healthAnswers() throws Exception {
    HttpResponse<Buffer> response = await(client.get("/api/v1/health").send());
    assertEquals(200, response.statusCode());
    assertEquals("up", response.bodyAsJsonObject().getString("status"));
  }

  @Test
  void servesTheOpenApiDocumentItValidatesWith() throws Exception {
    HttpResponse<Buffer> response = await(client.get("/api/v1/openapi.yaml").send());
    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("Content-Type").startsWith("application/yaml"));
    assertEquals(Files.readString(Path.of("../docs/openapi.yaml")), response.bodyAsString());
  }

  @Test
  void metricsContainHttpServerRequests() throws Exception {
    // GIVEN a request was served
    assertEquals(200, await(client.get("/api/v1/health").send()).statusCode());
    // WHEN the metrics are scraped
    HttpResponse<Buffer> response = await(client.get("/api/v1/metrics").send());
    // THEN they are Prometheus text with the HTTP server request counter
    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("Content-Type").startsWith("text/plain"), response.getHeader("Content-Type"));
    assertTrue(response.bodyAsString().contains("vertx_http_server_requests_total{"), response.bodyAsString());
    assertNotNull(Metrics.meterRegistry());
  }

  // --- malformed input: 400 ---

  @Test
  void malformedJsonIs400() throws Exception {
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", "{\"set\": {\"power\": tru")),
        400, ErrorCode.MALFORMED_REQUEST);
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", "{\"set\":{}} trailing")),
        400, ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void hundredThousandLevelsDeepIs400() throws Exception {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertTrue(deep.length() < LIMITS.maxBodyBytes());
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", deep)), 400, ErrorCode.MALFORMED_REQUEST);
    String unclosed = "{\"set\":" + "[".repeat(100_000);
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", unclosed)), 400, ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void nestingJustOverTheLimitIs400ButAtTheLimitPassesTheGuard() throws Exception {
    String atLimit = "{\"set\":{\"a\":" + "[".repeat(30) + "]".repeat(30) + "}}";
    assertEquals(200, await(postRaw("/api/v1/devices/lamp/commands", atLimit)).statusCode());
    String overLimit = "{\"set\":{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}}";
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", overLimit)), 400, ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void hugeStringOrNumberIs400() throws Exception {
    String hugeString = "{\"set\":{\"name\":\"" + "x".repeat(20_000) + "\"}}";
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", hugeString)), 400, ErrorCode.MALFORMED_REQUEST);
    String hugeName = "{\"set\":{\"" + "x".repeat(20_000) + "\":1}}";
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", hugeName)), 400, ErrorCode.MALFORMED_REQUEST);
    String hugeNumber = "{\"set\":{\"brightness\":1" + "0".repeat(150) + "}}";
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", hugeNumber)), 400, ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void missingBodyIs400AndNonJsonBodyIs415() throws Exception {
    assertProblem(await(client.post("/api/v1/devices/lamp/commands").send()), 400, ErrorCode.MALFORMED_REQUEST);
    assertProblem(await(client.post("/api/v1/devices/lamp/commands").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("{\"set\":{\"power\":true}}"))), 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
  }

  // --- limits: 413 ---

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String big = "{\"set\":{\"name\":\"" + "x".repeat(LIMITS.maxBodyBytes()) + "\"}}";
    assertProblem(await(postRaw("/api/v1/devices/lamp/commands", big)), 413, ErrorCode.PAYLOAD_TOO_LARGE);
  }

  // --- schema violations: 422 ---

  @Test
  void timeoutOutOfRangeIs422OnTimeoutMs() throws Exception {
    JsonObject problem = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("set", new JsonObject().put("power", true)).put("timeoutMs", 70_000))),
        422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("timeoutMs"), properties(problem), problem.encodePrettily());
  }

  @Test
  void setThatIsNotAnObjectIs422OnSet() throws Exception {
    JsonObject problem = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("set", "power=on"))), 422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("set"), properties(problem), problem.encodePrettily());
  }

  @Test
  void neitherSetNorActionIs422() throws Exception {
    JsonObject problem = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("timeoutMs", 100))), 422, ErrorCode.VALIDATION_FAILED);
    assertFalse(problem.getJsonArray("errors").isEmpty());
  }

  @Test
  void severalViolationsGiveSeveralEntries() throws Exception {
    JsonObject problem = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("set", new JsonObject().put("power", true)).put("timeoutMs", 0).put("wait", "yes"))),
        422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("timeoutMs", "wait"), properties(problem), problem.encodePrettily());
  }

  @Test
  void badRegistrationIs422() throws Exception {
    JsonObject coapWithoutUri = new JsonObject().put("id", "porch").put("profile", "light.dimmable")
        .put("binding", new JsonObject().put("protocol", "coap"));
    assertProblem(await(post("/api/v1/devices").sendJsonObject(coapWithoutUri)), 422, ErrorCode.VALIDATION_FAILED);
    JsonObject badId = new JsonObject().put("id", "Porch Light").put("profile", "plug")
        .put("binding", new JsonObject().put("protocol", "mqtt"));
    JsonObject problem = assertProblem(await(post("/api/v1/devices").sendJsonObject(badId)),
        422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("id"), properties(problem), problem.encodePrettily());
  }

  @Test
  void unknownPropertyOrBadCombinationIs422() throws Exception {
    JsonObject unknown = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("set", new JsonObject().put("power", true)).put("foo", 1))), 422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("foo"), properties(unknown), unknown.encodePrettily());
    assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("set", new JsonObject().put("power", true)).put("action", "open"))), 422, ErrorCode.VALIDATION_FAILED);
    assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("set", new JsonObject().put("power", true)).put("input", new JsonObject()))), 422, ErrorCode.VALIDATION_FAILED);
  }

  @Test
  void badParameterIs422() throws Exception {
    JsonObject header = assertProblem(await(post("/api/v1/devices/lamp/commands")
        .putHeader("Idempotency-Key", "k".repeat(256))
        .sendJsonObject(new JsonObject().put("set", new JsonObject().put("power", true)))),
        422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("Idempotency-Key"), properties(header));
    JsonObject query = assertProblem(await(client.get("/api/v1/devices").addQueryParam("room", "").send()),
        422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("room"), properties(query));
  }

  // --- routing: 404 / 405 ---

  @Test
  void unknownRouteIs404() throws Exception {
    assertProblem(await(client.get("/api/v1/nope").send()), 404, ErrorCode.NOT_FOUND);
    assertProblem(await(client.get("/elsewhere").send()), 404, ErrorCode.NOT_FOUND);
  }

  @Test
  void operationWithoutHandlerIs404() throws Exception {
    assertProblem(await(client.get("/api/v1/profiles").send()), 404, ErrorCode.NOT_FOUND);
    assertProblem(await(client.delete("/api/v1/devices/lamp").send()), 404, ErrorCode.NOT_FOUND);
  }

  @Test
  void wrongMethodIs405() throws Exception {
    HttpResponse<Buffer> put = await(client.request(HttpMethod.PUT, "/api/v1/devices").send());
    assertProblem(put, 405, ErrorCode.METHOD_NOT_ALLOWED);
    assertEquals("GET, POST", put.getHeader("Allow"));
    assertProblem(await(client.request(HttpMethod.PATCH, "/api/v1/devices/lamp").send()),
        405, ErrorCode.METHOD_NOT_ALLOWED);
  }

  @Test
  void deviceIdOutsideThePatternIs404DeviceNotFound() throws Exception {
    // a valid id passes (and is remembered as valid); a bad one is refused every time, not only the first
    assertEquals(200, await(client.get("/api/v1/devices/lamp").send()).statusCode());
    for (int i = 0; i < 2; i++) {
      assertProblem(await(client.get("/api/v1/devices/Not%20A%20Device").send()), 404, ErrorCode.DEVICE_NOT_FOUND);
    }
    assertEquals(200, await(client.get("/api/v1/devices/lamp").send()).statusCode());
    assertProblem(await(post("/api/v1/devices/" + "a".repeat(65) + "/commands")
        .sendJsonObject(new JsonObject().put("set", new JsonObject().put("power", true)))),
        404, ErrorCode.DEVICE_NOT_FOUND);
  }

  // --- handler failures ---

  @Test
  void handlerApiExceptionKeepsItsCode() throws Exception {
    JsonObject problem = assertProblem(await(post("/api/v1/devices/offline-lamp/commands")
        .sendJsonObject(new JsonObject().put("set", new JsonObject().put("power", true)))),
        409, ErrorCode.DEVICE_OFFLINE);
    assertEquals("device 'offline-lamp' is offline", problem.getString("detail"));
  }

  @Test
  void handlerRuntimeExceptionIs500WithoutLeaking() throws Exception {
    HttpResponse<Buffer> response = await(post("/api/v1/devices/boom/commands")
        .sendJsonObject(new JsonObject().put("set", new JsonObject().put("power", true))));
    JsonObject problem = assertProblem(response, 500, ErrorCode.INTERNAL);
    String body = response.bodyAsString();
    assertFalse(body.contains("secret") || body.contains("IllegalStateException") || body.contains("at io."), body);
    assertTrue(problem.getString("detail").startsWith("internal error; reference "), body);
  }

  @Test
  void validationMessagesSayWhatTheValueMustBe() throws Exception {
    // WHEN a command breaks several rules
    JsonObject problem = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("set", new JsonObject().put("power", true)).put("timeoutMs", 0).put("wait", "yes"))),
        422, ErrorCode.VALIDATION_FAILED);
    // THEN each message says what the value must be, in the API's words
    assertEquals(List.of("must be at least 1, not 0", "must be a boolean, not a string"), messages(problem));
    JsonObject tooLong = new JsonObject().put("set", new JsonObject().put("power", true)).put("timeoutMs", 99999999);
    JsonObject tooLongProblem = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(tooLong)),
        422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("must be at most 60000, not 99999999"), messages(tooLongProblem));
    JsonObject neither = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(
        new JsonObject().put("timeoutMs", 100))), 422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("needs one of: set, action"), messages(neither), neither.encode());
    JsonObject foo = new JsonObject().put("set", new JsonObject().put("power", true)).put("foo", 1);
    JsonObject unknown = assertProblem(await(post("/api/v1/devices/lamp/commands").sendJsonObject(foo)),
        422, ErrorCode.VALIDATION_FAILED);
    assertEquals("foo is not a known property here", unknown.getString("detail"));
    JsonObject missing = assertProblem(await(post("/api/v1/devices").sendJsonObject(
        new JsonObject().put("id", "porch").put("profile", "plug"))), 422, ErrorCode.VALIDATION_FAILED);
    assertEquals(List.of("binding"), properties(missing), missing.encode());
    assertEquals(List.of("is required"), messages(missing));
    JsonObject badId = assertProblem(await(post("/api/v1/devices").sendJsonObject(new JsonObject()
        .put("id", "Porch Light").put("profile", "plug").put("binding", new JsonObject().put("protocol", "mqtt")))),
        422, ErrorCode.VALIDATION_FAILED);
    assertTrue(messages(badId).get(0).contains("lower-case letters, digits"), badId.encode());
    // no validator wording reaches the client
    for (JsonObject p : List.of(problem, neither, unknown, missing, badId)) {
      assertFalse(p.encode().contains("Instance"), p.encode());
    }
  }

  @Test
  void duplicateKeysAreRefusedWith400() throws Exception {
    // WHEN a body repeats a key, at the top or inside an object
    JsonObject top = assertProblem(await(postRaw("/api/v1/devices/lamp/commands",
        "{\"set\":{\"power\":true},\"set\":{\"power\":false}}")), 400, ErrorCode.MALFORMED_REQUEST);
    JsonObject inner = assertProblem(await(postRaw("/api/v1/devices/lamp/commands",
        "{\"set\":{\"power\":true,\"power\":false}}")), 400, ErrorCode.MALFORMED_REQUEST);
    // THEN the problem names the key
    assertTrue(top.getString("detail").contains("\"set\" appears twice"), top.encode());
    assertTrue(inner.getString("detail").contains("\"power\" appears twice"), inner.encode());
    // and the same name in an inner object is not a repetition
    HttpResponse<Buffer> nested = await(postRaw("/api/v1/devices/lamp/commands", "{\"set\":{\"set\":true}}"));
    assertEquals(200, nested.statusCode(), nested.bodyAsString());
  }

  @Test
  void metricsRouteLabelIsTheRouteTemplate() throws Exception {
    // GIVEN requests that matched an operation, failed its validation, and matched nothing
    await(client.get("/api/v1/devices/some-lamp").send());
    await(post("/api/v1/devices/some-lamp/commands").sendJsonObject(new JsonObject().put("timeoutMs", 0)));
    await(client.get("/api/v1/nowhere").send());
    // THEN each is labelled with its route template, never with Vert.x's chain of routes
    String text = await(client.get("/api/v1/metrics").send()).bodyAsString();
    List<String> routes = text.lines().filter(l -> l.startsWith("vertx_http_server_requests_total"))
        .map(l -> l.replaceAll(".*route=\"([^\"]*)\".*", "$1")).distinct().toList();
    assertTrue(routes.contains("/api/v1/devices/{id}"), routes.toString());
    assertTrue(routes.contains("/api/v1/devices/{id}/commands"), routes.toString());
    assertTrue(routes.stream().noneMatch(r -> r.contains(">") || r.contains(":")), routes.toString());
  }

  @Test
  void unknownOperationIdFailsCreation() {
    Map<String, Handler<RoutingContext>> bad = Map.of("noSuchOperation", ctx -> ctx.end());
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> await(ApiRouter.create(vertx, bad, ApiLimits.defaults())));
    assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
  }

  // --- helpers ---

  private static HttpRequest<Buffer> post(String path) {
    return client.post(path);
  }

  private static Future<HttpResponse<Buffer>> postRaw(String path, String json) {
    return client.post(path).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json));
  }

  private static JsonObject assertProblem(HttpResponse<Buffer> response, int status, ErrorCode code) {
    String body = response.bodyAsString();
    assertEquals(status, response.statusCode(), body);
    assertEquals(Problems.CONTENT_TYPE, response.getHeader("Content-Type"), body);
    JsonObject problem = response.bodyAsJsonObject();
    assertEquals(code.name(), problem.getString("code"), body);
    assertEquals(status, problem.getInteger("status"), body);
    assertEquals(code.type(), problem.getString("type"), body);
    assertEquals(code.title(), problem.getString("title"), body);
    assertNotNull(problem.getString("detail"), body);
    return problem;
  }

  private static List<String> messages(JsonObject problem) {
    JsonArray errors = problem.getJsonArray("errors", new JsonArray());
    return errors.stream().map(e -> ((JsonObject) e).getString("message")).collect(Collectors.toList());
  }

  private static List<String> properties(JsonObject problem) {
    JsonArray errors = problem.getJsonArray("errors", new JsonArray());
    return errors.stream().map(e -> ((JsonObject) e).getString("property")).collect(Collectors.toList());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
