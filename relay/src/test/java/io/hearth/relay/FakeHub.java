package io.hearth.relay;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A hub's tunnel spoken by hand (docs/relay.md, "The tunnel protocol"): links with a link code,
 * records every frame the relay sends it, and answers requests with {@link #answer} (null: no
 * answer, to test the relay's timeout; or {@link #dropOnRequest} to close the tunnel mid-flight).
 */
final class FakeHub {
  final String hubId;
  final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  final CompletableFuture<String> key = new CompletableFuture<>();
  volatile Function<JsonObject, JsonObject> answer = req -> new JsonObject().put("status", 200)
      .put("body", Base64.getEncoder().encodeToString("{\"fake\":true}".getBytes()));
  volatile boolean dropOnRequest;
  private final WebSocketClient client;
  private final int port;
  WebSocket ws;

  FakeHub(Vertx vertx, int relayPort, String certificate, String hubId) {
    this.hubId = hubId;
    this.port = relayPort;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(certificate)));
  }

  /** Connects with a link code (key null) or the hub key; fails on a refused upgrade. */
  FakeHub connect(String linkCode, String hubKey) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
        .setURI("/relay/v1/tunnel").addHeader("X-Hearth-Hub-Id", hubId);
    if (hubKey != null) {
      o.addHeader("Authorization", "HubKey " + hubKey);
    } else {
      o.addHeader("X-Hearth-Link-Code", linkCode);
    }
    ws = AppClient.sync(client.connect(o).map(w -> {
      w.textMessageHandler(t -> onText(w, t));
      return w;
    }));
    return this;
  }

  private void onText(WebSocket socket, String t) {
    JsonObject f = new JsonObject(t);
    frames.add(f);
    switch (f.getString("t")) {
      case "linked" -> key.complete(f.getString("hubKey"));
      case "ws_open" -> socket.writeTextMessage(new JsonObject().put("t", "ws_accept").put("id", f.getLong("id")).encode());
      case "req" -> {
        if (dropOnRequest) {
          socket.close();
          return;
        }
        JsonObject a = answer.apply(f);
        if (a != null) {
          socket.writeTextMessage(a.put("t", "res").put("id", f.getLong("id")).encode());
        }
      }
      default -> { }
    }
  }

  void send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  void close() {
    if (ws != null) {
      AppClient.sync(ws.close());
    }
  }
}
