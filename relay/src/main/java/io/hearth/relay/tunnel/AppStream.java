package io.hearth.relay.tunnel;

import io.hearth.relay.http.RelayError;
import io.hearth.relay.http.RelayException;
import io.vertx.core.Promise;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * One app WebSocket carried through a hub's tunnel. Before the hub accepts it, it is a pending open
 * (the app's upgrade waits); then messages flow both ways: app → hub paused while the tunnel's
 * write queue is full, hub → app closing the app socket (1008 overflow) when the app does not read
 * and its write queue passes {@code tunnel.streamQueueBytes}. The app then reconnects and resumes
 * with {@code since} (docs/websocket.md).
 */
public final class AppStream {
  private final HubTunnel tunnel;
  private final long id;
  private Promise<AppStream> opening;
  private TunnelResponse refusal;
  private ServerWebSocket app;
  private boolean ended;

  AppStream(HubTunnel tunnel, long id, Promise<AppStream> opening) {
    this.tunnel = tunnel;
    this.id = id;
    this.opening = opening;
  }

  /** The hub's refusal of the open (401, 429, 503 …), or null once accepted. */
  public TunnelResponse refusal() {
    return refusal;
  }

  /** Binds the app's socket once the upgrade is done; runs on the tunnel's context. */
  public void attach(ServerWebSocket socket) {
    tunnel.run(() -> {
      if (ended) {
        socket.close((short) 1012, "hub went away");
        return;
      }
      app = socket;
      socket.setWriteQueueMaxSize(tunnel.maxStreamQueueBytes());
      socket.textMessageHandler(text -> tunnel.run(() -> toHub(text)));
      socket.closeHandler(v -> tunnel.run(() -> {
        if (!ended) {
          ended = true;
          tunnel.send(new JsonObject().put("t", Frames.WS_CLOSE).put("id", id)
              .put("code", socket.closeStatusCode() == null ? 1001 : (int) socket.closeStatusCode()));
          tunnel.streamEnded(id);
        }
      }));
    });
  }

  /** The app's upgrade failed after the hub accepted: the hub's side is closed too. */
  public void abandon() {
    tunnel.run(() -> {
      if (!ended) {
        ended = true;
        tunnel.send(new JsonObject().put("t", Frames.WS_CLOSE).put("id", id).put("code", 1001));
        tunnel.streamEnded(id);
      }
    });
  }

  private void toHub(String text) {
    if (ended) {
      return;
    }
    if (!tunnel.send(new JsonObject().put("t", Frames.WS_DATA).put("id", id).put("text", text))) {
      app.pause(); // resumed when the tunnel drains
    }
  }

  void resumeReading() {
    if (app != null && !ended) {
      app.resume();
    }
  }

  void fromHub(JsonObject f) {
    switch (f.getString("t")) {
      case Frames.WS_ACCEPT -> {
        Promise<AppStream> p = opening;
        opening = null;
        if (p != null) {
          p.tryComplete(this);
        }
      }
      case Frames.WS_REJECT -> {
        refusal = TunnelResponse.of(f);
        ended = true;
        tunnel.streamEnded(id);
        if (opening != null) {
          opening.tryComplete(this);
          opening = null;
        }
      }
      case Frames.WS_DATA -> {
        if (app == null || ended) {
          return;
        }
        if (app.writeQueueFull()) {
          overflow();
        } else {
          app.writeTextMessage(f.getString("text", ""));
        }
      }
      case Frames.WS_CLOSE -> {
        ended = true;
        tunnel.streamEnded(id);
        if (app != null) {
          Integer code = f.getInteger("code");
          app.close(code == null || code < 1000 || code == 1005 || code == 1006 ? (short) 1000 : code.shortValue(),
              f.getString("reason", ""));
        }
      }
      default -> { }
    }
  }

  private void overflow() {
    ended = true;
    tunnel.streamEnded(id);
    tunnel.send(new JsonObject().put("t", Frames.WS_CLOSE).put("id", id).put("code", 1008));
    app.writeTextMessage("{\"type\":\"overflow\"}");
    app.close((short) 1008, "overflow");
  }

  void tunnelLost() {
    ended = true;
    if (opening != null) {
      opening.tryFail(new RelayException(RelayError.HUB_CONNECTION_LOST, "the hub's tunnel closed before it answered"));
      opening = null;
    }
    if (app != null) {
      app.close((short) 1012, "hub went away");
    }
  }
}
