package io.hearth.gateway.automation;

import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.store.RunRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of a rule: its actions in order, each step's outcome recorded as it ends (the record is
 * saved when the run starts, after every step and when it ends, so a gateway stop leaves it
 * {@code running}, which the next start turns into {@code interrupted}). Runs on the engine's
 * thread; {@link #cancel} stops it between or during steps (a command already sent still ends in
 * the command service).
 */
final class Run {
  private final String runId;
  private final Rule rule;
  private final Map<String, Object> trigger;
  private final Engine engine;
  private final Consumer<Run> ended;
  private final Instant startedAt;
  private final List<Map<String, Object>> steps = new ArrayList<>();
  private int index;
  private String status = "running";
  private String error;
  private Instant endedAt;
  /** Cancels the step under way (a delay's timer, a wait); null when none. */
  private Runnable abort;

  /** What a run uses of the engine. */
  interface Engine {
    Scheduler scheduler();

    CommandSink commands();

    SceneActivator scenes();

    /** Publishes an {@code alert} event. */
    void alert(Rule rule, String runId, String title, String message);

    Object value(String device, String property);

    /** Calls {@code matched} once the property takes one of the values; returns how to stop waiting. */
    Runnable waitFor(String device, String property, Object state, Runnable matched);

    void record(RunRecord run);
  }

  Run(String runId, Rule rule, Map<String, Object> trigger, Engine engine, Consumer<Run> ended) {
    this.runId = runId;
    this.rule = rule;
    this.trigger = trigger;
    this.engine = engine;
    this.ended = ended;
    this.startedAt = engine.scheduler().now();
  }

  String id() {
    return runId;
  }

  boolean running() {
    return endedAt == null;
  }

  void start() {
    engine.record(record());
    next();
  }

  /** Ends the run now with that status ({@code cancelled}, {@code interrupted}); nothing if it ended. */
  void cancel(String why, String reason) {
    if (!running()) {
      return;
    }
    if (abort != null) {
      abort.run();
    }
    end(why, reason);
  }

  RunRecord record() {
    return new RunRecord(runId, rule.id(), startedAt, endedAt, status, trigger, steps, error);
  }

  private void next() {
    if (!running()) {
      return;
    }
    if (index == rule.actions().size()) {
      end("succeeded", null);
      return;
    }
    Action action = rule.actions().get(index);
    Instant started = engine.scheduler().now();
    Future<StepOutcome> step;
    try {
      step = execute(action);
    } catch (RuntimeException e) {
      step = Future.succeededFuture(StepOutcome.refused(e));
    }
    step.onComplete(r -> {
      if (!running()) {
        return; // cancelled meanwhile
      }
      abort = null;
      StepOutcome o = r.succeeded() ? r.result() : StepOutcome.refused(r.cause());
      steps.add(o.json(index, action.type(), started, engine.scheduler().now()));
      index++;
      if (o.failure() && !action.continueOnError()) {
        end("failed", "step " + (index - 1) + " (" + action.type() + ") " + o.status()
            + (o.detail() == null ? "" : ": " + o.detail()));
        return;
      }
      engine.record(record());
      next();
    });
  }

  private Future<StepOutcome> execute(Action action) {
    if (action instanceof Action.Command c) {
      return engine.commands().submit(c.device(), new CommandRequest(c.set(), c.action(), c.input(), null, true))
          .map(StepOutcome::of);
    } else if (action instanceof Action.Scene s) {
      return engine.scenes().activate(s.scene())
          .map(answer -> StepOutcome.ok("succeeded", Map.of("result", answer.getMap())));
    } else if (action instanceof Action.Delay d) {
      Promise<StepOutcome> done = Promise.promise();
      Scheduler.Timer t = engine.scheduler().schedule(d.duration(),
          () -> done.tryComplete(StepOutcome.ok("succeeded", Map.of())));
      abort = t::cancel;
      return done.future();
    } else if (action instanceof Action.Wait w) {
      return waitFor(w);
    }
    Action.Notify n = (Action.Notify) action;
    engine.alert(rule, runId, n.title(), n.message());
    return Future.succeededFuture(StepOutcome.ok("succeeded", Map.of()));
  }

  private Future<StepOutcome> waitFor(Action.Wait w) {
    if (Values.matches(w.state(), engine.value(w.device(), w.property()))) {
      return Future.succeededFuture(StepOutcome.ok("succeeded", Map.of()));
    }
    Promise<StepOutcome> done = Promise.promise();
    Scheduler.Timer[] timeout = new Scheduler.Timer[1];
    Runnable stopWaiting = engine.waitFor(w.device(), w.property(), w.state(), () -> {
      if (timeout[0] != null) {
        timeout[0].cancel();
      }
      done.tryComplete(StepOutcome.ok("succeeded", Map.of()));
    });
    if (w.timeout() != null) {
      timeout[0] = engine.scheduler().schedule(w.timeout(), () -> {
        stopWaiting.run();
        done.tryComplete(w.continueOnTimeout() ? StepOutcome.ok("timed_out", Map.of())
            : StepOutcome.failed("timed_out", "WAIT_TIMED_OUT", "the state did not come within " + w.timeout()));
      });
    }
    abort = () -> {
      stopWaiting.run();
      if (timeout[0] != null) {
        timeout[0].cancel();
      }
    };
    return done.future();
  }

  private void end(String how, String why) {
    status = how;
    error = why;
    endedAt = engine.scheduler().now();
    abort = null;
    engine.record(record());
    ended.accept(this);
  }
}
