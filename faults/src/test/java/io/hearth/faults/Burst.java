package io.hearth.faults;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of keyed REST commands ({@code Idempotency-Key}), each answered 202 with a commandId,
 * refused, or left unanswered because the gateway died. A 429 is retried with the same key after
 * its {@code Retry-After} (a scheduled resend, the way an app backs off) until {@link #stop()}.
 */
final class Burst {
  /**
   * What became of one keyed request: its status (-1: no answer), a commandId when the gateway
   * recorded a command, and {@code answer}: the body, or why there was none.
   */
  record Outcome(String key, String device, JsonObject body, int status, String commandId, String answer) {
    /** The answer's body (empty when there was none). */
    JsonObject json() {
      return answer != null && answer.startsWith("{") ? new JsonObject(answer) : new JsonObject();
    }

    boolean accepted() {
      return commandId != null;
    }
  }

  private final Http http;
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private CountDownLatch settled;

  Burst(Http http) {
    this.http = http;
  }

  /** Sends every request at once (the gateway's rate limit paces them with 429s). */
  Burst send(List<String> keys, List<String> devices, List<JsonObject> bodies) {
    settled = new CountDownLatch(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      submit(keys.get(i), devices.get(i), bodies.get(i));
    }
    return this;
  }

  private void submit(String key, String device, JsonObject body) {
    http.postAsync("/devices/" + device + "/commands", body, "Idempotency-Key", key).whenComplete((r, err) -> {
      if (err != null) {
        done(new Outcome(key, device, body, -1, null, err.toString()));
      } else if (r.status() == 429 && !stopped.get()) {
        throttled.incrementAndGet();
        long after = r.retryAfter() == null ? 1 : Long.parseLong(r.retryAfter());
        CompletableFuture.delayedExecutor(after, TimeUnit.SECONDS).execute(() -> {
          if (stopped.get()) {
            done(new Outcome(key, device, body, 429, null, "not retried: the burst stopped"));
          } else {
            submit(key, device, body);
          }
        });
      } else {
        // a problem may carry the commandId too (e.g. 503 UNAVAILABLE: the command was recorded)
        String cid = r.body().startsWith("{") ? r.json().getString("commandId") : null;
        if (cid != null) {
          accepted.incrementAndGet();
        }
        done(new Outcome(key, device, body, r.status(), cid, r.body()));
      }
    });
  }

  private void done(Outcome o) {
    outcomes.put(o.key(), o);
    settled.countDown();
  }

  int accepted() {
    return accepted.get();
  }

  /** How many 429 answers came (each retried). */
  int throttled() {
    return throttled.get();
  }

  /** No more 429 retries: a pending retry settles as refused. */
  void stop() {
    stopped.set(true);
  }

  /** Waits until every request has an outcome. */
  List<Outcome> await(long seconds) throws InterruptedException {
    if (!settled.await(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("requests still unanswered after " + seconds + " s: " + settled.getCount());
    }
    return new ArrayList<>(outcomes.values());
  }
}
