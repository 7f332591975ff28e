package io.hearth.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@code binding:} mapping being parsed by its {@link Transport}: the keys as given (from
 * YAML or JSON), the device id and chosen convention, and the problems found so far.
 */
public final class BindingInput {

  /** One problem: the key under {@code binding} (empty for the binding itself) and what is wrong. */
  public record Problem(String key, String message) {}

  private final JsonNode node;
  private final String deviceId;
  private final String convention;
  private final List<Problem> problems = new ArrayList<>();

  public BindingInput(JsonNode node, String deviceId, String convention) {
    this.node = Objects.requireNonNull(node, "node");
    this.deviceId = deviceId;
    this.convention = Objects.requireNonNull(convention, "convention");
  }

  /** The device id, or null if the entry has no valid id (a problem reported elsewhere). */
  public String deviceId() {
    return deviceId;
  }

  /** The convention chosen (the transport's default when the key is absent); may be unknown. */
  public String convention() {
    return convention;
  }

  /** True if the key is there and not null. */
  public boolean has(String key) {
    return node.hasNonNull(key);
  }

  /** The key as text, or null when absent, null or a mapping/list. */
  public String text(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  /** The key's raw value, or null. */
  public JsonNode node(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** Records a problem with {@code key} (a path under {@code binding}, e.g. {@code uri}). */
  public void error(String key, String message) {
    problems.add(new Problem(key, message));
  }

  /** The problems found, in order. */
  public List<Problem> problems() {
    return List.copyOf(problems);
  }
}
