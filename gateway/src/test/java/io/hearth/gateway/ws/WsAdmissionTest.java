package io.hearth.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.events.EventLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets a WebSocket when sockets flood in (docs/websocket.md, "Limits"; issue 12: 512 sockets
 * that never authenticated locked every user out): unauthenticated sockets have a small pool of
 * their own and a short deadline, users keep their own places, and text that is not UTF-8 closes
 * the connection with 1007.
 */
class WsAdmissionTest {
  private static final int UNAUTHENTICATED = 4;
  private static final int PER_USER = 2;
  private static final Duration AUTH_DEADLINE = Duration.ofSeconds(2);

  @TempDir
  static Path dir;
  private static WsGateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = new WsGateway(dir, 1, WsOptions.DEFAULTS.withAdmission(512, UNAUTHENTICATED, PER_USER, AUTH_DEADLINE),
        EventLog.Limits.DEFAULTS).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  private static int port() {
    return gw.app.httpPort();
  }

  /**
   * The owner's connection, once the server has seen the sockets of an earlier test go (a client's
   * close reaches the server's count a moment later).
   */
  private static RawWsClient owner() {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> new RawWsClient(port(), 0, WsProbe.bearer), c -> true);
  }

  private static String refusedStatus(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith("upgrade refused: HTTP/1.1 ") ? m.substring(26, 29) : m;
  }

  @Test
  void unauthenticatedFloodLeavesUsersTheirPlacesAndTimesOut() throws Exception {
    List<RawWsClient> flood = new ArrayList<>();
    try {
      // GIVEN the unauthenticated pool is full of sockets that never authenticate
      for (int i = 0; i < UNAUTHENTICATED; i++) {
        flood.add(org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
            .until(() -> new RawWsClient(port(), 0, null), c -> true));
      }
      // THEN one more is refused at the upgrade (503)
      IOException refused = assertThrows(IOException.class, () -> new RawWsClient(port(), 0, null).close());
      assertEquals("503", refusedStatus(refused), refused.getMessage());
      // AND the owner still connects, with the token at the upgrade, and is answered
      try (RawWsClient owner = owner()) {
        owner.sendText("{\"id\":1,\"type\":\"ping\"}");
      }
      // AND every flooding socket is closed (1008) at the auth deadline
      for (RawWsClient c : flood) {
        assertEquals(1008, c.readUntilClose(AUTH_DEADLINE.toMillis() + 10_000).closeCode());
      }
    } finally {
      for (RawWsClient c : flood) {
        c.close();
      }
    }
    // AND the pool has room again once the server has seen them go (wait on it, bounded)
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> {
          new RawWsClient(port(), 0, null).close();
          return true;
        });
  }

  @Test
  void aUserHasItsOwnCapAtTheUpgradeAndAfterAuth() throws Exception {
    try (RawWsClient a = owner(); RawWsClient b = owner()) {
      // a third connection of the same user at the upgrade: 429
      IOException refused = assertThrows(IOException.class, () -> new RawWsClient(port(), 0, WsProbe.bearer).close());
      assertEquals("429", refusedStatus(refused), refused.getMessage());
      // a third one that authenticates by message is closed 1008 after its auth
      try (RawWsClient late = new RawWsClient(port(), 0, null)) {
        late.sendText("{\"type\":\"auth\",\"token\":\"" + WsProbe.bearer + "\"}");
        RawWsClient.Read r = late.readUntilClose(10_000);
        assertEquals(1008, r.closeCode(), r::toString);
      }
    }
  }

  @Test
  void textThatIsNotUtf8Closes1007() throws Exception {
    try (RawWsClient c = owner()) {
      // {"id":1,"type":"ping"} with a lone continuation byte inside the type string
      byte[] bad = "{\"id\":1,\"type\":\"pi?ng\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      bad[18] = (byte) 0x80;
      c.sendTextBytes(bad);
      RawWsClient.Read r = c.readUntilClose(10_000);
      assertEquals(1007, r.closeCode(), r::toString);
      assertTrue(r.texts().stream().noneMatch(t -> t.contains("\"error\"")), r::toString);
    }
  }
}
