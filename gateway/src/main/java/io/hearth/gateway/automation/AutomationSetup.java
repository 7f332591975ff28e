package io.hearth.gateway.automation;

import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.config.AutomationConfig;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.state.DeviceView;
import io.hearth.gateway.store.AsyncStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;

/**
 * The automations wired for the gateway (one call from {@code CoreAssembly}): a {@link VertxScheduler}
 * on the core context, the {@link AutomationEngine} on the device states, the event hub and the
 * command service (automations' commands take the same path as an app's), and the
 * {@link Automations} resource on the store.
 */
public final class AutomationSetup {
  private final AutomationConfig config;
  private final Automations automations;

  public AutomationSetup(Context context, Clock clock, AutomationConfig config, AsyncStore store, EventHub hub,
      DeviceRegistry registry, DeviceStates states, CommandService commands, SceneActivator scenes) {
    this.config = config;
    SunTimes sun = config.hasLocation() ? new SunTimes(config.latitude(), config.longitude()) : null;
    AutomationEngine engine = new AutomationEngine(new VertxScheduler(context, clock), hub,
        id -> states.view(id).map(DeviceView::state).orElse(null),
        (device, request) -> commands.submit(device, request, null), scenes, Automations.runLog(store, hub),
        new AutomationEngine.Settings(config.maxRunsPerMinute(), config.timeZone(), sun));
    RuleParser parser = new RuleParser(config.timeZone(), id -> registry.get(id).isPresent());
    this.automations = new Automations(store, engine, hub, parser, config.file(), clock);
  }

  public Automations automations() {
    return automations;
  }

  public Future<Void> start() {
    try {
      return automations.start();
    } catch (RuntimeException e) { // the automations file
      return Future.failedFuture(e);
    }
  }

  public Future<Void> stop() {
    return automations.stop();
  }

  /** Deletes the run records past {@code automations.runRetentionDays}. */
  public Future<Integer> purge() {
    return automations.purge(Duration.ofDays(config.runRetentionDays()));
  }
}
