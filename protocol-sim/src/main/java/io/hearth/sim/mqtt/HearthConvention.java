package io.hearth.sim.mqtt;

import io.hearth.sim.behavior.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hearth's native MQTT convention ({@code docs/conventions-mqtt.md}): commands on {@code hearth/{id}/set} and
 * {@code hearth/{id}/action/{name}} carrying a {@code cid}; full retained state, then a reply.
 */
final class HearthConvention implements MqttConvention {

  private final String prefix;

  HearthConvention(String deviceId) {
    this.prefix = "hearth/" + Objects.requireNonNull(deviceId, "deviceId") + "/";
  }

  @Override
  public boolean commandIds() {
    return true;
  }

  @Override
  public List<String> subscriptions() {
    return List.of(prefix + "set", prefix + "action/+");
  }

  @Override
  public String availabilityTopic() {
    return prefix + "availability";
  }

  @Override
  public byte[] onlinePayload() {
    return "online".getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] offlinePayload() {
    return "offline".getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Inbound decode(String topic, byte[] payload, Map<String, Object> state) {
    boolean set = topic.equals(prefix + "set");
    boolean action = topic.startsWith(prefix + "action/");
    if (!set && !action) {
      return Inbound.ignore("not a command topic: " + topic);
    }
    Map<String, Object> body;
    try {
      body = Json.readObject(payload);
    } catch (IOException e) {
      return Inbound.ignore("payload is not a JSON object");
    }
    Object cid = body.get("cid");
    if (!(cid instanceof String) || ((String) cid).isEmpty()) {
      return Inbound.ignore("command without cid");
    }
    String id = (String) cid;
    if (set) {
      Object props = body.get("props");
      if (!(props instanceof Map)) {
        return Inbound.invalid(id, "props: expected an object");
      }
      return Inbound.set(id, castMap(props));
    }
    String name = topic.substring((prefix + "action/").length());
    Object input = body.get("input");
    if (input != null && !(input instanceof Map)) {
      return Inbound.invalid(id, "input: expected an object");
    }
    return Inbound.action(id, name, input == null ? Map.of() : castMap(input));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  @Override
  public List<Publication> stateReport(Map<String, Object> state) {
    return List.of(new Publication(prefix + "state", Json.write(state), true));
  }

  @Override
  public List<Publication> periodicReport(Map<String, Object> state) {
    return stateReport(state);
  }

  @Override
  public List<Publication> commandEffects(Inbound command, Outcome outcome, Map<String, Object> state) {
    return outcome.ok() ? stateReport(state) : List.of();
  }

  @Override
  public List<Publication> confirmation(Inbound command, Outcome outcome, Map<String, Object> state) {
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("cid", command.cid());
    reply.put("ok", outcome.ok());
    if (!outcome.ok()) {
      reply.put("error", outcome.error());
    }
    return List.of(new Publication(prefix + "reply", Json.write(reply), false));
  }

  @Override
  public List<Publication> event(String name, Map<String, Object> data) {
    return List.of(new Publication(prefix + "event/" + name, Json.write(data), false));
  }

  @Override
  public String rawTopic(String subtopic) {
    return subtopic == null || subtopic.isEmpty() ? prefix + "state" : prefix + subtopic;
  }
}
