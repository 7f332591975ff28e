package io.hearth.gateway.scenes;

import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.profile.CommandValidator;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.scenes.SceneOutcome.DeviceOutcome;
import io.hearth.gateway.security.Principal;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.SceneStore.SceneRow;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Scenes (docs/scenes.md): kept in the store, checked against each device's profile when saved,
 * activated by sending every target through the normal command path ({@link CommandService}:
 * validation, idempotency, pipelining, timeouts) in parallel. Every change is published on the
 * event stream ({@code scene_created}, {@code scene_updated}, {@code scene_deleted},
 * {@code scene_activated}, device field {@code scene:<id>}).
 */
public final class SceneService {
  /** Event kinds (docs/websocket.md#scene-events). */
  public static final String CREATED = "scene_created";
  public static final String UPDATED = "scene_updated";
  public static final String DELETED = "scene_deleted";
  public static final String ACTIVATED = "scene_activated";
  /** The most devices a scene may name. */
  public static final int MAX_DEVICES = 64;

  private final AsyncStore store;
  private final Clock clock;
  private final DeviceRegistry registry;
  private final DeviceStates states;
  private final CommandService commands;
  private final EventHub events;

  public SceneService(AsyncStore store, Clock clock, DeviceRegistry registry, DeviceStates states,
      CommandService commands, EventHub events) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.states = Objects.requireNonNull(states, "states");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.events = Objects.requireNonNull(events, "events");
  }

  /** What a client asks for: explicit {@code targets}, or the current state of the {@code capture} devices. */
  public record SceneSpec(String id, String name, Map<String, Map<String, Object>> targets, List<String> capture) {}

  public Future<List<Scene>> list() {
    return store.call(s -> s.scenes().all()).map(rows -> rows.stream().map(SceneService::decode).toList());
  }

  public Future<Optional<Scene>> get(String id) {
    return store.call(s -> s.scenes().find(id)).map(row -> row.map(SceneService::decode));
  }

  /** Creates a scene; a refused one fails with {@link ValidationException} (one error per problem). */
  public Future<Scene> create(SceneSpec spec) {
    Map<String, Map<String, Object>> targets;
    try {
      targets = targets(spec);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    String id = spec.id() != null ? spec.id() : "scene-" + UUID.randomUUID().toString().substring(0, 8);
    Instant now = clock.instant();
    Scene scene = new Scene(id, spec.name(), targets, now, now);
    return store.call(s -> {
      if (s.scenes().find(id).isPresent()) {
        throw ValidationException.of("id", "a scene with id '" + id + "' exists");
      }
      s.scenes().put(encode(scene));
      return scene;
    }).onSuccess(sc -> events.publish(CREATED, "scene:" + id, sc.toJson()));
  }

  /** Replaces a scene's name and targets; empty when there is no such scene. */
  public Future<Optional<Scene>> update(String id, SceneSpec spec) {
    Map<String, Map<String, Object>> targets;
    try {
      targets = targets(spec);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return store.call(s -> s.scenes().find(id).map(old -> {
      Scene scene = new Scene(id, spec.name(), targets, old.createdAt(), clock.instant());
      s.scenes().put(encode(scene));
      return scene;
    })).onSuccess(sc -> sc.ifPresent(scene -> events.publish(UPDATED, "scene:" + id, scene.toJson())));
  }

  /** Deletes a scene; false when there was none. */
  public Future<Boolean> delete(String id) {
    return store.call(s -> s.scenes().delete(id))
        .onSuccess(deleted -> {
          if (deleted) {
            events.publish(DELETED, "scene:" + id, Map.of("id", id));
          }
        });
  }

  /** Activates a scene as {@code who}, without an idempotency key nor a command budget. */
  public Future<SceneOutcome> activate(String sceneId, Principal who) {
    return activate(sceneId, who, null, () -> 0, null);
  }

  /**
   * Sends every target in parallel and waits for every outcome (each bounded by its command's
   * timeout, {@code timeoutMs} or {@code commands.defaultTimeoutMs}).
   *
   * @param key    the caller's idempotency key, already scoped to the user (null: none); each
   *               device's command gets its own key derived from it, so a retry acts on none twice
   * @param budget the session's command budget, spent per command created
   */
  public Future<SceneOutcome> activate(String sceneId, Principal who, String key, LongSupplier budget,
      Integer timeoutMs) {
    return get(sceneId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(new SceneOutcome.NotFound(sceneId));
      }
      Scene scene = found.get();
      if (who != null) {
        Optional<String> hidden = scene.targets().keySet().stream().filter(d -> !who.canSee().test(d)).findFirst();
        if (hidden.isPresent()) {
          return Future.succeededFuture(new SceneOutcome.Forbidden(sceneId, hidden.get()));
        }
      }
      List<Future<DeviceOutcome>> sent = new ArrayList<>();
      scene.targets().forEach((device, set) -> {
        CommandRequest request = new CommandRequest(set, null, null, timeoutMs, true);
        String deviceKey = key == null ? null : key + "\u0000scene:" + sceneId;
        sent.add(commands.submit(device, request, deviceKey, budget)
            .transform(r -> Future.succeededFuture(r.succeeded() ? new DeviceOutcome(device, r.result(), null)
                : new DeviceOutcome(device, null, r.cause()))));
      });
      return Future.all(sent).map(all -> {
        SceneOutcome.Activated outcome = new SceneOutcome.Activated(sceneId,
            sent.stream().map(Future::result).toList());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", sceneId);
        data.put("status", outcome.status());
        data.put("failed", outcome.devices().stream().filter(d -> !d.succeeded()).map(DeviceOutcome::deviceId).toList());
        events.publish(ACTIVATED, "scene:" + sceneId, data);
        return outcome;
      });
    });
  }

  /** The targets of a spec, checked: each device known, each value valid and settable for it. */
  private Map<String, Map<String, Object>> targets(SceneSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Map<String, Object>> raw = spec.targets() != null ? spec.targets() : captured(spec.capture(), errors);
    if (raw.isEmpty() && errors.isEmpty()) {
      errors.add(new FieldError("targets", "must name at least one device"));
    }
    if (raw.size() > MAX_DEVICES) {
      errors.add(new FieldError("targets", "must name at most " + MAX_DEVICES + " devices"));
    }
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    raw.forEach((deviceId, set) -> {
      Optional<RegisteredDevice> device = registry.get(deviceId);
      if (device.isEmpty()) {
        errors.add(new FieldError("targets." + deviceId, "is not a registered device"));
        return;
      }
      try {
        out.put(deviceId, CommandValidator.validateSet(device.get().profile(), device.get().supports(), set));
      } catch (ValidationException e) {
        e.errors().forEach(fe -> errors.add(new FieldError("targets." + deviceId + "." + fe.property(), fe.message())));
      }
    });
    if (!errors.isEmpty()) {
      throw ValidationException.of(errors);
    }
    return out;
  }

  /** The current values of the devices' settable properties. */
  private Map<String, Map<String, Object>> captured(List<String> capture, List<FieldError> errors) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String deviceId : capture == null ? List.<String>of() : capture) {
      Optional<RegisteredDevice> device = registry.get(deviceId);
      if (device.isEmpty()) {
        errors.add(new FieldError("capture." + deviceId, "is not a registered device"));
        continue;
      }
      Map<String, Object> set = new LinkedHashMap<>();
      states.view(deviceId).ifPresent(view -> view.state().forEach((name, value) -> {
        var spec = device.get().profile().property(name);
        if (spec != null && spec.writable() && device.get().supports().canSet(name) && value != null) {
          set.put(name, value);
        }
      }));
      if (set.isEmpty()) {
        errors.add(new FieldError("capture." + deviceId, "has no known value of a property that can be set"));
      } else {
        out.put(deviceId, set);
      }
    }
    return out;
  }

  private static SceneRow encode(Scene scene) {
    JsonObject def = new JsonObject().put("name", scene.name()).put("targets", new JsonObject(
        new LinkedHashMap<String, Object>(scene.targets())));
    return new SceneRow(scene.id(), def.encode(), scene.createdAt(), scene.updatedAt());
  }

  private static Scene decode(SceneRow row) {
    JsonObject def = new JsonObject(row.definition());
    Map<String, Map<String, Object>> targets = new LinkedHashMap<>();
    def.getJsonObject("targets").forEach(e -> targets.put(e.getKey(), ((JsonObject) e.getValue()).getMap()));
    return new Scene(row.id(), def.getString("name"), targets, row.createdAt(), row.updatedAt());
  }
}
