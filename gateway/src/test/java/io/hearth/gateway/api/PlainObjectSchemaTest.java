package io.hearth.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tier 1 on the app API's document: {@link PlainObjectSchema} handles the command body's schema, says
 * "certainly valid" only for bodies the JSON-schema interpreter also finds valid, and leaves every
 * other body (invalid, or of a shape it does not evaluate) to the interpreter.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlainObjectSchemaTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static JsonSchema commandBody;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = OpenAPIContract.builder(vertx).setContractPath(ApiRouter.DOCUMENT)
        .mediaTypeRegistry(ApiRouter.mediaTypes()).build().toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    commandBody = contract.operation("sendCommand").getRequestBody().getContent().get("application/json").getSchema();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static boolean interpreterValid(String body) {
    return contract.getSchemaRepository().validator(commandBody).validate(Json.decodeValue(body)).getValid();
  }

  @Test
  void theCommandBodyIsHandled() {
    assertNotNull(PlainObjectSchema.of(commandBody), () -> "the quick path must apply to POST …/commands: " + commandBody);
  }

  @Test
  void plainCommandsAreCertainlyValidAsTheInterpreterAgrees() {
    PlainObjectSchema quick = PlainObjectSchema.of(commandBody);
    for (String body : List.of("{\"set\":{\"power\":true,\"brightness\":60},\"wait\":true}",
        "{\"set\":{\"brightness\":1},\"timeoutMs\":10000,\"wait\":false}",
        "{\"set\":{\"t\":21.5},\"deliverWhen\":\"nextWake\",\"expiresInMs\":86400000}")) {
      assertTrue(quick.certainlyValid(Json.decodeValue(body)), body);
      assertTrue(interpreterValid(body), body);
    }
  }

  @Test
  void everythingElseGoesToTheInterpreter() {
    PlainObjectSchema quick = PlainObjectSchema.of(commandBody);
    for (String body : List.of("{\"set\":{}}", "{\"set\":{\"a\":1},\"action\":\"open\"}", "{}", "{\"input\":{}}",
        "{\"set\":{\"a\":1},\"input\":{}}", "{\"set\":{\"a\":1},\"timeoutMs\":0}", "{\"set\":{\"a\":1},\"timeoutMs\":60001}",
        "{\"set\":{\"a\":1},\"timeoutMs\":\"5\"}", "{\"set\":{\"a\":1},\"wait\":\"yes\"}", "{\"set\":{\"a\":1},\"x\":1}",
        "{\"set\":{\"a\":1},\"deliverWhen\":\"later\"}", "{\"action\":\"\"}", "{\"action\":\"has space\"}",
        "{\"set\":1}", "[1]", "{\"set\":{\"a\":1},\"expiresInMs\":0}",
        // valid, but its action name has a pattern, which only the interpreter checks
        "{\"action\":\"open\",\"input\":{}}")) {
      assertFalse(quick.certainlyValid(Json.decodeValue(body)), body);
    }
    // AND those the interpreter finds invalid are among them (pattern: left to the interpreter)
    assertFalse(interpreterValid("{\"action\":\"has space\"}"));
    assertEquals(false, interpreterValid("{\"set\":{\"a\":1},\"timeoutMs\":60001}"));
  }
}
