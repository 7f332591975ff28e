package io.hearth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the app WebSocket's text-message path (docs/websocket.md) end to end: the fuzzed bytes go
 * as one text message, valid UTF-8 or not, over a real socket to the real gateway ({@link FuzzGateway},
 * started once per class), on a connection authenticated at the upgrade. There is no pure entry
 * point to call instead: a message is decoded, typed and dispatched inside the connection
 * ({@code ws.WsConnection#onText}, with {@code WsFields}), against the connection's principal and
 * subscriptions.
 *
 * <p>Invariant: every message gets an answer that is not an {@code INTERNAL} error, or a documented
 * close (1007 not UTF-8, 1008 policy, 1009 too big), within 10 s; and no ERROR is logged by the
 * gateway (an unexpected exception is logged at ERROR before an {@code INTERNAL} answer).
 */
class WsMessageFuzzTest {
  private static final Set<Integer> DOCUMENTED_CLOSES = Set.of(1007, 1008, 1009);
  private static final int ANSWER_TIMEOUT_MS = 10_000;

  private static FuzzGateway gateway;
  private static ErrorLogs errors;
  private static RawWebSocket ws;

  @BeforeAll
  static void start() throws Exception {
    gateway = FuzzGateway.start();
    errors = ErrorLogs.attach();
  }

  @AfterAll
  static void stop() throws Exception {
    if (ws != null) {
      ws.close();
    }
    if (errors != null) {
      errors.detach();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @FuzzTest(maxDuration = "15s")
  void message(byte[] text) throws IOException {
    FuzzGateway.allowLoopbackConnections();
    String shown = show(text);
    errors.clear();
    if (ws == null) {
      ws = new RawWebSocket(gateway.httpPort(), "/api/v1/ws", gateway.token());
    }
    ws.sendText(text);
    RawWebSocket.Frame answer;
    try {
      do {
        answer = ws.next(ANSWER_TIMEOUT_MS);
      } while (!answer.isClose() && isEvent(answer.text()));
    } catch (SocketTimeoutException e) {
      ws.close();
      ws = null;
      throw new AssertionError("no answer and no close within " + ANSWER_TIMEOUT_MS + " ms to " + shown);
    }
    if (answer.isClose()) {
      ws.close();
      ws = null;
      if (!DOCUMENTED_CLOSES.contains(answer.closeCode())) {
        throw new AssertionError("closed with " + answer.closeCode() + " after " + shown);
      }
    } else {
      check(answer.text(), shown);
    }
    errors.assertNone(shown);
  }

  private static void check(String answer, String shown) {
    JsonObject m;
    try {
      m = new JsonObject(answer);
    } catch (DecodeException e) {
      throw new AssertionError("answer is not a JSON object: " + answer + " to " + shown);
    }
    JsonObject error = m.getJsonObject("error");
    if (error != null && "INTERNAL".equals(error.getString("code"))) {
      throw new AssertionError("INTERNAL error " + answer + " to " + shown);
    }
    if (m.getString("type") == null) {
      throw new AssertionError("answer without a type: " + answer + " to " + shown);
    }
  }

  private static boolean isEvent(String text) {
    return text.startsWith("{\"type\":\"event\"");
  }

  private static String show(byte[] text) {
    String s = new String(text, 0, Math.min(text.length, 300), StandardCharsets.UTF_8);
    return "[" + s.replaceAll("\\p{Cntrl}", "·") + (text.length > 300 ? "…(" + text.length + " bytes)" : "") + "]";
  }
}
