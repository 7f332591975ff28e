package io.hearth.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests no client should send, on the real gateway: each gets a problem with a stable code
 * (docs/api.md#errors), never a 500, and nothing is logged at ERROR (issue 12: form bodies with
 * {@code %ZZ} were 500s with stack traces, 414 and 431 had empty bodies).
 */
class HostileHttpTest {
  @TempDir
  static Path dir;
  private static TestGateway gw;
  private static WebClient raw;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start(dir.resolve("data"), false);
    raw = WebClient.create(gw.clientVertx(),
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gw.httpPort()).setKeepAlive(false));
    token = gw.pair(TestGateway.PAIRING_CODE, "owner").getString("accessToken");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  private static HttpResponse<Buffer> post(String path, String contentType, String body, String bearer) throws Exception {
    var req = raw.request(HttpMethod.POST, "/api/v1" + path).putHeader("Content-Type", contentType);
    if (bearer != null) {
      req.putHeader("Authorization", "Bearer " + bearer);
    }
    return TestGateway.await(req.sendBuffer(Buffer.buffer(body)));
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r::bodyAsString);
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(code, body.getString("code"), body::encode);
    assertEquals(status, body.getInteger("status"));
  }

  @Test
  void formBodiesAre415WithoutAnErrorLine() throws Exception {
    try (LogCapture log = new LogCapture()) {
      // the pairing route needs no token; the command route does
      assertProblem(post("/auth/pair", "application/x-www-form-urlencoded", "code=%ZZ", null), 415,
          "UNSUPPORTED_MEDIA_TYPE");
      assertProblem(post("/devices/" + TestGateway.X + "/commands", "application/x-www-form-urlencoded; charset=UTF-8",
          "a=%ZZ&b=%", token), 415, "UNSUPPORTED_MEDIA_TYPE");
      assertProblem(post("/auth/pair", "multipart/form-data; boundary=xx",
          "--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nbroken", null), 415, "UNSUPPORTED_MEDIA_TYPE");
      assertProblem(post("/auth/pair", "multipart/form-data", "garbage", null), 415, "UNSUPPORTED_MEDIA_TYPE");
      assertEquals(java.util.List.of(), log.errors());
    }
    // a JSON pairing still works afterwards (nothing was consumed by the refused ones)
    assertProblem(post("/auth/pair", "application/json", "{\"code\":\"WRONG-CODE\",\"client\":\"x\"}", null), 401,
        "UNAUTHORIZED");
  }

  @Test
  void overlongRequestLineIs414Problem() throws Exception {
    try (LogCapture log = new LogCapture()) {
      HttpResponse<Buffer> r = TestGateway.await(raw.get("/api/v1/devices/" + "a".repeat(10_000)).send());
      assertProblem(r, 414, "URI_TOO_LONG");
      assertEquals(java.util.List.of(), log.errors());
    }
  }

  @Test
  void oversizedHeadersAre431Problem() throws Exception {
    try (LogCapture log = new LogCapture()) {
      HttpResponse<Buffer> r = TestGateway.await(raw.get("/api/v1/health").putHeader("X-Big", "b".repeat(20_000)).send());
      assertProblem(r, 431, "HEADERS_TOO_LARGE");
      assertEquals(java.util.List.of(), log.errors());
    }
  }

  @Test
  void garbageInsteadOfHttpIs400ProblemAndTheConnectionCloses() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.httpPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) >= 0; ) { // ends when the server closes the connection
        got.write(buf, 0, n);
      }
      String answer = got.toString(StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("application/problem+json") && answer.contains("\"MALFORMED_REQUEST\""), answer);
    }
  }
}
