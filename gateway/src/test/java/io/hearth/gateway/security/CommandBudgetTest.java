package io.hearth.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's command budget (docs/security.md, "Rate limits") on the real gateway, with the
 * budget's clock frozen so that the count does not depend on how fast the machine is: 40 at once,
 * nothing earned back. Only a command that is created spends it: a replayed idempotency key is
 * answered from the record even with the budget spent.
 */
class CommandBudgetTest {
  private static final int BURST = 40;

  @TempDir
  static Path tmp;
  private static TestGateway gw;
  private static String guest;
  private static String member;

  @BeforeAll
  static void start() throws Exception {
    SecurityLimits d = SecurityLimits.defaults();
    SecurityLimits frozen = new SecurityLimits(d.pairingPerAddress(), d.pairingOverall(), d.refreshPerAddress(),
        new RateLimiter(20, BURST, 100, () -> 0L));
    gw = TestGateway.start(tmp.resolve("data"), List.of(), frozen);
    String owner = gw.pair(TestGateway.PAIRING_CODE, "owner").getString("accessToken");
    guest = gw.pair(gw.invite(owner, "guest", List.of(TestGateway.X)), "guest").getString("accessToken");
    member = gw.pair(gw.invite(owner, "member", List.of()), "member").getString("accessToken");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  private static JsonObject command() {
    return new JsonObject().put("set", new JsonObject().put("power", true)).put("wait", false).put("timeoutMs", 1000);
  }

  @Test
  void theBurstGoesThroughTheRestIs429AndAReplayIsFree() throws Exception {
    String path = "/devices/" + TestGateway.X + "/commands";
    // GIVEN a command sent with an idempotency key (it spends one of the budget)
    HttpResponse<Buffer> keyed = gw.call(HttpMethod.POST, path, guest, command(), "replay-me");
    assertEquals(202, keyed.statusCode(), keyed.bodyAsString());
    // WHEN the same session sends 70 more at once
    WebClient client = WebClient.create(gw.clientVertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gw.httpPort()));
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      all.add(client.post("/api/v1" + path).putHeader("Authorization", "Bearer " + guest).sendJsonObject(command()));
    }
    TestGateway.await(Future.all(all));
    int accepted = 0;
    for (var f : all) {
      HttpResponse<Buffer> r = f.result();
      if (r.statusCode() == 202) {
        accepted++;
      } else {
        assertEquals(429, r.statusCode(), r.bodyAsString());
        assertEquals("RATE_LIMITED", r.bodyAsJsonObject().getString("code"));
        assertTrue(Long.parseLong(r.getHeader("Retry-After")) >= 1);
      }
    }
    client.close();
    // THEN exactly the rest of the burst went through
    assertEquals(BURST - 1, accepted);
    // AND a replay of the key is answered from the record: it creates nothing, so it spends nothing
    HttpResponse<Buffer> replay = gw.call(HttpMethod.POST, path, guest, command(), "replay-me");
    assertEquals(keyed.bodyAsJsonObject().getString("commandId"), replay.bodyAsJsonObject().getString("commandId"),
        replay.bodyAsString());
    // AND a new key is refused (the budget is spent), while another session is not affected
    assertEquals(429, gw.call(HttpMethod.POST, path, guest, command(), "a-new-key").statusCode());
    assertEquals(202, gw.call(HttpMethod.POST, path, member, command()).statusCode());
  }
}
