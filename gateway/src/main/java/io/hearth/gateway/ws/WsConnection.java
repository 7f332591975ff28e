package io.hearth.gateway.ws;

import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.core.CommandJson;
import io.hearth.gateway.core.DeviceJson;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.RateLimitedException;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app WebSocket connection: authenticates it, answers its messages, sends its subscriptions'
 * events (replay, then live) through its bounded {@link WsOutbound}, pings it and closes it when
 * it falls silent. Runs on the core context only.
 */
final class WsConnection {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  private static final short CLOSE_POLICY = 1008;
  private static final short CLOSE_GOING_AWAY = 1001;
  private static final short CLOSE_INTERNAL = 1011;
  private static final short CLOSE_TOO_BIG = 1009;
  private static final short CLOSE_INVALID_DATA = 1007;
  private static final long GOING_AWAY_WAIT_MS = 2_000;

  private final WsEndpoint.Deps deps;
  private final ServerWebSocket ws;
  private final WsOutbound out;
  private final Map<Integer, WsSubscription> subscriptions = new LinkedHashMap<>();
  private final long pingTimer;
  private long authTimer = -1;
  private WsPrincipal principal;
  private String admittedAs;
  private final Utf8Check utf8;
  private int nextSubscription = 1;
  private long lastHeardNanos = System.nanoTime();

  WsConnection(WsEndpoint.Deps deps, Context context, ServerWebSocket ws, WsPrincipal principal, String admittedAs) {
    this.deps = deps;
    this.ws = ws;
    this.principal = principal;
    this.admittedAs = admittedAs;
    this.out = new WsOutbound(ws, context, deps.options());
    this.utf8 = new Utf8Check(deps.options().maxMessageBytes());
    // text messages are assembled here rather than by textMessageHandler, which would decode
    // invalid UTF-8 into replacement characters; see Utf8Check
    ws.frameHandler(f -> {
      lastHeardNanos = System.nanoTime();
      boolean wasFailed = utf8.failed();
      String text = utf8.accept(f);
      if (text != null) {
        onText(text);
      } else if (utf8.failed() && !wasFailed) {
        LOG.info("WebSocket text that is not UTF-8, closed [remote: {}]", ws.remoteAddress());
        out.closeWith(null, CLOSE_INVALID_DATA, "invalid UTF-8");
      }
    });
    ws.binaryMessageHandler(b -> send(WsMessages.error(null,
        WsError.malformed("binary messages are not understood; send JSON text"))));
    ws.exceptionHandler(this::failed);
    ws.closeHandler(v -> closed());
    pingTimer = deps.vertx().setPeriodic(deps.options().pingIntervalMs(), t -> heartbeat());
    if (principal == null) {
      authTimer = deps.vertx().setTimer(deps.options().authTimeout().toMillis(), t -> {
        if (this.principal == null) {
          out.closeWith(null, CLOSE_POLICY, "authentication required");
        }
      });
    }
  }

  /** A gateway event: to every live subscription that wants it. */
  void publish(GatewayEvent e) {
    for (WsSubscription s : subscriptions.values()) {
      if (!s.replaying && s.matches(e)) {
        s.cursor = e.seq();
        if (!out.offer(WsMessages.event(s.id, e))) {
          return;
        }
      }
    }
  }

  /** The gateway is stopping: what is queued goes out first (at most 2 s), then 1001. */
  void goingAway() {
    out.closeWhenSent(CLOSE_GOING_AWAY, "gateway stopping", GOING_AWAY_WAIT_MS);
  }

  /** Frames over the limits: Netty's decoder reports a too large frame, Vert.x a too large message. */
  private void failed(Throwable e) {
    LOG.debug("WebSocket error [remote: {}]: {}", ws.remoteAddress(), e.toString());
    if (e instanceof CorruptedWebSocketFrameException c) {
      out.closeWith(null, (short) c.closeStatus().code(), "frame refused");
    } else if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("max message size")) {
      out.closeWith(null, CLOSE_TOO_BIG, "message too big");
    }
  }

  private void closed() {
    out.closed();
    deps.vertx().cancelTimer(pingTimer);
    deps.vertx().cancelTimer(authTimer);
    subscriptions.values().forEach(s -> s.cancelled = true);
    subscriptions.clear();
    deps.endpoint().removed(this);
    LOG.debug("WebSocket closed [remote: {}, code: {}, reason: {}]", ws.remoteAddress(), ws.closeStatusCode(),
        ws.closeReason());
  }

  private void heartbeat() {
    long silentMs = (System.nanoTime() - lastHeardNanos) / 1_000_000;
    if (silentMs >= deps.options().idleTimeout().toMillis()) {
      LOG.info("WebSocket client silent, closed [remote: {}, silentMs: {}]", ws.remoteAddress(), silentMs);
      out.closeWith(null, CLOSE_GOING_AWAY, "idle");
    } else if (!ws.isClosed()) {
      ws.writePing(Buffer.buffer("hb")); // a failure surfaces in the close handler
    }
  }

  private void send(String text) {
    out.offer(text);
  }

  /** The admission key this connection holds a place under (null: not authenticated). */
  String admittedAs() {
    return admittedAs;
  }

  String remote() {
    return String.valueOf(ws.remoteAddress());
  }

  private void onText(String text) {
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      send(WsMessages.error(null, WsError.malformed("the message is not JSON")));
      return;
    }
    if (!(parsed instanceof JsonObject msg)) {
      send(WsMessages.error(null, WsError.malformed("the message must be a JSON object")));
      return;
    }
    String duplicate = io.hearth.gateway.api.JsonKeys.firstDuplicate(text);
    if (duplicate != null) {
      send(WsMessages.error(null, WsError.malformed("the key \"" + duplicate + "\" appears twice in one JSON object")));
      return;
    }
    Object type = msg.getValue("type");
    if ("auth".equals(type)) {
      auth(msg.getValue("token"));
      return;
    }
    Object id = msg.getValue("id");
    if (!(id instanceof Integer || id instanceof Long)) {
      send(WsMessages.error(null, WsError.malformed("every message needs an integer \"id\"")));
      return;
    }
    try {
      if (principal == null) {
        throw new WsError(WsError.Code.UNAUTHORIZED, "send {\"type\":\"auth\",\"token\":…} first");
      }
      if (!(type instanceof String t)) {
        throw WsError.malformed("\"type\" is missing");
      }
      switch (t) {
        case "subscribe" -> subscribe(id, msg);
        case "unsubscribe" -> unsubscribe(id, msg);
        case "get_states" -> send(WsMessages.result(id, states()));
        case "command" -> command(id, msg);
        case "ping" -> send(WsMessages.pong(id));
        default -> throw WsError.malformed("unknown type \"" + t + "\"");
      }
    } catch (RuntimeException e) {
      send(WsMessages.error(id, toError(e)));
    }
  }

  private void auth(Object token) {
    Optional<WsPrincipal> p = token instanceof String s ? deps.authenticator().authenticate(s) : Optional.empty();
    if (p.isEmpty()) {
      LOG.info("WebSocket auth refused [remote: {}]", ws.remoteAddress());
      out.closeWith(WsMessages.AUTH_INVALID, CLOSE_POLICY, "auth_invalid");
      return;
    }
    String user = WsEndpoint.userOf(p.get());
    if (!deps.endpoint().authenticated(this, user)) {
      out.closeWith(null, CLOSE_POLICY, "too many connections");
      return;
    }
    admittedAs = user;
    principal = p.get(); // applies to later requests; subscriptions keep the principal they were made with
    deps.vertx().cancelTimer(authTimer);
    send(WsMessages.AUTH_OK);
  }

  // ---- subscribe / unsubscribe / replay

  private void subscribe(Object id, JsonObject msg) {
    if (subscriptions.size() >= deps.options().maxSubscriptions()) {
      throw WsFields.invalid("subscribe", "at most " + deps.options().maxSubscriptions()
          + " subscriptions per connection");
    }
    var devices = WsFields.strings(msg, "devices");
    if (devices != null) {
      for (String d : devices) {
        if (!principal.sees(d) || deps.registry().get(d).isEmpty()) {
          throw new DeviceNotFoundException(d);
        }
      }
    }
    var kinds = WsFields.strings(msg, "kinds");
    if (kinds != null) {
      for (String k : kinds) {
        if (!WsFields.KINDS.contains(k)) {
          throw WsFields.invalid("kinds", "unknown kind \"" + k + "\"; one of " + WsFields.KINDS);
        }
      }
    }
    Long since = WsFields.optionalLong(msg, "since", 0);
    WsSubscription sub = new WsSubscription(nextSubscription++, principal, devices, kinds);
    long last = deps.log().lastSeq();
    boolean resync = since != null && (since < deps.log().heldAfter() || since > last);
    JsonObject result = new JsonObject().put("subscription", sub.id).put("seq", last);
    if (resync) {
      result.put("resync", true);
    }
    subscriptions.put(sub.id, sub);
    if (!out.offer(WsMessages.result(id, result))) {
      return;
    }
    if (since == null || resync || since == last) {
      sub.cursor = last;
    } else {
      sub.cursor = since;
      sub.replaying = true;
      LOG.debug("replay started [remote: {}, subscription: {}, since: {}, seq: {}]", ws.remoteAddress(), sub.id,
          since, last);
      replay(sub);
    }
  }

  /**
   * One replay step: a page of events after the cursor, then the next step once the client has
   * room. The subscription goes live in the same core-context task that sent the event with the
   * latest seq, so no live event falls between replay and live, and none is sent twice.
   */
  private void replay(WsSubscription sub) {
    if (sub.cancelled || out.isClosed()) {
      return;
    }
    if (sub.cursor < deps.log().heldAfter()) { // the log moved past this replay: come back with since
      out.overflow();
      return;
    }
    if (sub.cursor >= deps.log().lastSeq()) {
      sub.replaying = false;
      LOG.debug("replay done, live [remote: {}, subscription: {}, seq: {}]", ws.remoteAddress(), sub.id, sub.cursor);
      return;
    }
    int room = out.room();
    if (room == 0) {
      out.whenRoom(() -> replay(sub));
      return;
    }
    deps.log().after(sub.cursor, Math.min(room, deps.options().replayPage())).onComplete(r -> {
      if (r.failed()) {
        LOG.warn("replay failed [remote: {}, reason: {}]", ws.remoteAddress(), r.cause().getMessage());
        out.closeWith(null, CLOSE_INTERNAL, "replay failed");
        return;
      }
      deliver(sub, r.result());
    });
  }

  private void deliver(WsSubscription sub, List<GatewayEvent> page) {
    if (sub.cancelled || out.isClosed()) {
      return;
    }
    for (GatewayEvent e : page) {
      if (e.seq() <= sub.cursor) {
        continue;
      }
      sub.cursor = e.seq();
      if (sub.matches(e) && !out.offer(WsMessages.event(sub.id, e))) {
        return;
      }
    }
    if (sub.cursor >= deps.log().lastSeq()) {
      replay(sub); // goes live now, in this task
    } else {
      out.whenRoom(() -> replay(sub));
    }
  }

  private void unsubscribe(Object id, JsonObject msg) {
    Long n = WsFields.optionalLong(msg, "subscription", 1);
    WsSubscription s = n == null || n > Integer.MAX_VALUE ? null : subscriptions.remove(n.intValue());
    if (s == null) {
      throw WsFields.invalid("subscription", "no such subscription");
    }
    s.cancelled = true;
    send(WsMessages.result(id, new JsonObject().put("subscription", s.id)));
  }

  // ---- states and commands

  private JsonObject states() {
    JsonArray devices = new JsonArray();
    for (RegisteredDevice d : deps.registry().all()) {
      if (principal.sees(d.id())) {
        devices.add(new JsonObject(DeviceJson.device(d, deps.states().view(d.id()).orElse(null))));
      }
    }
    return new JsonObject().put("devices", devices).put("seq", deps.log().lastSeq());
  }

  private void command(Object id, JsonObject msg) {
    String device = WsFields.requiredString(msg, "device");
    if (!principal.sees(device)) {
      throw new DeviceNotFoundException(device);
    }
    JsonObject set = WsFields.optionalObject(msg, "set");
    JsonObject input = WsFields.optionalObject(msg, "input");
    Long timeout = WsFields.optionalLong(msg, "timeoutMs", 1);
    Long expiresIn = WsFields.optionalLong(msg, "expiresInMs", 1);
    CommandRequest request = new CommandRequest(set == null ? null : set.getMap(),
        WsFields.optionalString(msg, "action"), input == null ? null : input.getMap(),
        timeout == null ? null : (int) Math.min(timeout, Integer.MAX_VALUE), false,
        WsFields.optionalString(msg, "deliverWhen"), expiresIn == null ? null : (int) Math.min(expiresIn, Integer.MAX_VALUE));
    String key = principal.scopedKey(WsFields.optionalString(msg, "idempotencyKey"));
    // the session's budget, shared with REST: spent only when a command is created (a replayed
    // idempotencyKey is free)
    deps.commands().submit(device, request, key, principal.commandBudget()).onComplete(r -> {
      if (r.failed() && r.cause() instanceof RateLimitedException limited) {
        LOG.debug("command rate limited [remote: {}, device: {}, retryAfter: {}]", ws.remoteAddress(), device,
            limited.retryAfterSeconds());
        send(WsMessages.rateLimited(id, new WsError(WsError.Code.RATE_LIMITED, limited.getMessage()),
            limited.retryAfterSeconds()));
      } else if (r.failed()) {
        send(WsMessages.error(id, toError(r.cause())));
      } else if (r.result() instanceof CommandResult.Failed failed) {
        send(WsMessages.error(id, WsErrors.of(failed)));
      } else {
        send(WsMessages.result(id, new JsonObject(CommandJson.result(r.result()))));
      }
    });
  }

  /** The error answer for a failure ({@link WsErrors}); an unexpected one is logged with a reference. */
  private WsError toError(Throwable e) {
    return WsErrors.of(e).orElseGet(() -> {
      String ref = java.util.UUID.randomUUID().toString();
      LOG.error("WebSocket request failed [remote: {}, ref: {}]", ws.remoteAddress(), ref, e);
      return new WsError(WsError.Code.INTERNAL, "internal error; reference " + ref);
    });
  }
}
