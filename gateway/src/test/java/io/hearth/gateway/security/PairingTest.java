package io.hearth.gateway.security;

import static io.hearth.gateway.security.TestGateway.PAIRING_CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairing, refresh rotation and invites on the real gateway, across a restart: single-use codes,
 * reuse detection, the pairing rate limit, and no secret in the logs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PairingTest {
  @TempDir Path tmp;

  @Test
  void codesAreSingleUseAcrossRestartsRefreshTokensRotateAndNothingSecretIsLogged() throws Exception {
    List<String> secrets = new ArrayList<>();
    try (LogCapture logs = new LogCapture(); TestGateway gw = TestGateway.start(tmp.resolve("data"), false)) {
      // GIVEN the owner paired with the pairing code, written in any case and with spaces
      JsonObject owner = gw.pair("  " + PAIRING_CODE.toLowerCase() + " ", "owner phone");
      assertEquals("owner", owner.getJsonObject("user").getString("role"));
      assertEquals("owner phone", owner.getJsonObject("user").getString("name"));
      assertEquals(900, owner.getInteger("expiresIn"));
      String access = owner.getString("accessToken");
      secrets.add(access);
      secrets.add(owner.getString("refreshToken"));

      // WHEN the pairing code is used again THEN 401
      assertUnauthorized(pair(gw, PAIRING_CODE));

      // an invite pairs once
      String code = gw.invite(access, "member", List.of());
      secrets.add(code);
      JsonObject member = gw.pair(code, "member phone");
      assertEquals("member", member.getJsonObject("user").getString("role"));
      secrets.add(member.getString("accessToken"));
      assertUnauthorized(pair(gw, code));

      // refresh: a new pair; the old refresh token is retired
      JsonObject r1 = refresh(gw, owner.getString("refreshToken"));
      assertEquals(200, r1.getInteger("status"), r1.encode());
      JsonObject rotated = r1.getJsonObject("body");
      secrets.add(rotated.getString("accessToken"));
      secrets.add(rotated.getString("refreshToken"));
      assertNotEquals(owner.getString("refreshToken"), rotated.getString("refreshToken"));
      assertEquals(200, gw.call(HttpMethod.GET, "/devices", rotated.getString("accessToken"), null).statusCode());
      JsonObject r2 = refresh(gw, rotated.getString("refreshToken"));
      assertEquals(200, r2.getInteger("status"));
      JsonObject current = r2.getJsonObject("body");
      secrets.add(current.getString("accessToken"));
      secrets.add(current.getString("refreshToken"));

      // WHEN a retired refresh token is used again THEN 401, and the whole session is revoked:
      // its current refresh token and its access tokens stop working
      assertEquals(401, refresh(gw, owner.getString("refreshToken")).getInteger("status"));
      assertEquals(401, refresh(gw, current.getString("refreshToken")).getInteger("status"));
      assertUnauthorized(gw.call(HttpMethod.GET, "/devices", current.getString("accessToken"), null));
      // a forged refresh token is refused too
      assertEquals(401, refresh(gw, "nope.nope").getInteger("status"));
      // the member's session is not affected
      assertEquals(200, gw.call(HttpMethod.GET, "/devices", member.getString("accessToken"), null).statusCode());

      // the signing key is kept owner-only
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(gw.dataDir.resolve(AccessTokens.KEY_FILE))));

      // WHEN the gateway restarts
      gw.restart();
      // THEN the used pairing code and invite stay used, issued tokens still work
      assertUnauthorized(pair(gw, PAIRING_CODE));
      assertUnauthorized(pair(gw, code));
      assertEquals(200, gw.call(HttpMethod.GET, "/devices", member.getString("accessToken"), null).statusCode());
      assertEquals(401, refresh(gw, current.getString("refreshToken")).getInteger("status"));
      JsonObject afterRestart = refresh(gw, member.getString("refreshToken"));
      assertEquals(200, afterRestart.getInteger("status"));
      secrets.add(afterRestart.getJsonObject("body").getString("accessToken"));
      secrets.add(afterRestart.getJsonObject("body").getString("refreshToken"));
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("pairing code already used")));

      // WHEN someone guesses codes from one address THEN 429 with Retry-After within the burst
      HttpResponse<Buffer> last = null;
      for (int i = 0; i < 10; i++) {
        last = pair(gw, "GUES-S" + i);
        if (last.statusCode() == 429) {
          break;
        }
        assertUnauthorized(last);
      }
      assertEquals(429, last.statusCode());
      assertEquals("RATE_LIMITED", last.bodyAsJsonObject().getString("code"));
      assertTrue(Long.parseLong(last.getHeader("Retry-After")) >= 10);

      // THEN no token, refresh token or invite code was logged; the pairing code only in its one line
      for (String line : logs.lines()) {
        for (String secret : secrets) {
          assertFalse(line.contains(secret) || line.contains(secret.substring(secret.indexOf('.') + 1)),
              "a secret was logged: " + line);
        }
        if (line.contains(PAIRING_CODE)) {
          assertTrue(line.contains("pairing code: " + PAIRING_CODE), line);
        }
      }
    }
  }

  private static HttpResponse<Buffer> pair(TestGateway gw, String code) throws Exception {
    return gw.call(HttpMethod.POST, "/auth/pair", null, new JsonObject().put("code", code).put("client", "x"));
  }

  private static JsonObject refresh(TestGateway gw, String token) throws Exception {
    HttpResponse<Buffer> r = gw.call(HttpMethod.POST, "/auth/refresh", null, new JsonObject().put("refreshToken", token));
    JsonObject out = new JsonObject().put("status", r.statusCode());
    if (r.statusCode() == 200) {
      out.put("body", r.bodyAsJsonObject());
    } else {
      assertEquals("UNAUTHORIZED", r.bodyAsJsonObject().getString("code"));
    }
    return out;
  }

  private static void assertUnauthorized(HttpResponse<Buffer> r) {
    assertEquals(401, r.statusCode(), r.bodyAsString());
    assertEquals("UNAUTHORIZED", r.bodyAsJsonObject().getString("code"));
    assertTrue(r.getHeader("WWW-Authenticate").startsWith("Bearer"));
  }
}
