package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Scenes (docs/scenes.md), each kept as its definition's JSON. Blocking, one caller at a time. */
public interface SceneStore {

  /** A stored scene: its id, definition JSON ({@code name}, {@code targets}) and times. */
  record SceneRow(String id, String definition, Instant createdAt, Instant updatedAt) {}

  /** Every scene, by id. */
  List<SceneRow> all();

  Optional<SceneRow> find(String id);

  /** Inserts or replaces the scene (durable: a registry-like write). */
  void put(SceneRow row);

  /** Deletes the scene; returns whether it existed. */
  boolean delete(String id);
}
