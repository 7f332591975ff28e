package io.hearth.adapter.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.StateReport;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The native {@code hearth} MQTT convention (contract §5), prefix {@code hearth/{id}/}:
 * <ul>
 *   <li>gateway → device: {@code set} {@code {"cid","props":{…}}}, {@code action/{name}}
 *       {@code {"cid","input":{…}}}, never retained;
 *   <li>device → gateway: {@code reply} {@code {"cid","ok":true}} or
 *       {@code {"cid","ok":false,"error":"…"}} (optional {@code "output":{…}}), {@code state}
 *       (retained JSON object, partial or full), {@code event/{name}} (JSON object),
 *       {@code availability} ({@code online}/{@code offline}, retained; {@code offline} is the will).
 * </ul>
 * Commands are confirmed by the reply. Retained replies and events are replays of the past, not
 * answers or happenings, and are ignored.
 */
final class HearthConvention implements MqttConvention {

  static final String NAME = "hearth";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Confirmation confirmation() {
    return Confirmation.REPLY;
  }

  private static String prefix(DeviceDefinition device) {
    return "hearth/" + Topics.checkLevel(device.id(), "device id") + "/";
  }

  @Override
  public List<String> subscriptions(DeviceDefinition device) {
    String p = prefix(device);
    return List.of(p + "reply", p + "state", p + "availability", p + "event/+");
  }

  private static final List<String> SHARED = List.of("hearth/+/reply", "hearth/+/state", "hearth/+/availability",
      "hearth/+/event/+");

  /** A device id is one topic level: {@code hearth/+/…} covers every hearth device. */
  @Override
  public List<String> sharedSubscriptions(DeviceDefinition device) {
    prefix(device); // checks the id
    return SHARED;
  }

  @Override
  public TopicPermissions permissions(DeviceDefinition device) {
    String p = prefix(device);
    return new TopicPermissions(
        List.of(p + "state", p + "reply", p + "availability", p + "event/+"),
        List.of(p + "set", p + "action/+"));
  }

  @Override
  public List<Outbound> encode(DeviceDefinition device, DeviceCommand command) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cid", command.commandId());
    if (command.isAction()) {
      String action = Topics.checkLevel(command.action(), "action name");
      body.put("input", command.input());
      return List.of(new Outbound(prefix(device) + "action/" + action, JsonPayloads.encode(body)));
    }
    body.put("props", command.set());
    return List.of(new Outbound(prefix(device) + "set", JsonPayloads.encode(body)));
  }

  @Override
  public Optional<Inbound> decode(DeviceDefinition device, String topic, byte[] payload, boolean retained,
      Instant receivedAt, Map<String, Object> commanded) {
    String p = prefix(device);
    if (!topic.startsWith(p)) {
      return Optional.empty();
    }
    String rest = topic.substring(p.length());
    if (payload.length == 0 && !rest.startsWith("event/")) {
      return Optional.empty(); // a retained message being cleared (retained or forwarded live)
    }
    switch (rest) {
      case "state":
        return Optional.of(new Inbound.State(
            new StateReport(device.id(), JsonPayloads.reported(JsonPayloads.parseObject(payload)), receivedAt, retained)));
      case "reply":
        return retained ? Optional.empty() : Optional.of(new Inbound.Reply(reply(device.id(), payload)));
      case "availability":
        return Optional.of(availability(device.id(), JsonPayloads.text(payload)));
      default:
        if (rest.startsWith("event/") && rest.length() > "event/".length()) {
          return retained ? Optional.empty() : Optional.of(event(device.id(), rest.substring(6), payload, receivedAt));
        }
        return Optional.empty();
    }
  }

  private static CommandReply reply(String deviceId, byte[] payload) {
    ObjectNode json = JsonPayloads.parseObject(payload);
    JsonNode cid = json.get("cid");
    JsonNode ok = json.get("ok");
    if (cid == null || !cid.isTextual() || cid.textValue().isEmpty()) {
      throw new MalformedPayloadException("reply without a string cid");
    }
    if (ok == null || !ok.isBoolean()) {
      throw new MalformedPayloadException("reply without a boolean ok");
    }
    String error = null;
    if (!ok.booleanValue()) {
      JsonNode e = json.get("error");
      error = e != null && e.isTextual() && !e.textValue().isBlank() ? e.textValue() : "rejected by the device";
    }
    JsonNode output = json.get("output");
    Map<String, Object> out = output instanceof ObjectNode o ? JsonPayloads.scalars(o) : Map.of();
    return new CommandReply(deviceId, cid.textValue(), ok.booleanValue(), error, out);
  }

  private static Inbound availability(String deviceId, String text) {
    if (text.equalsIgnoreCase("online")) {
      return new Inbound.Availability(deviceId, true, null);
    }
    if (text.equalsIgnoreCase("offline")) {
      return new Inbound.Availability(deviceId, false, "lwt");
    }
    throw new MalformedPayloadException("availability is neither online nor offline");
  }

  private static Inbound event(String deviceId, String name, byte[] payload, Instant receivedAt) {
    Map<String, Object> data = payload.length == 0 ? Map.of() : JsonPayloads.scalars(JsonPayloads.parseObject(payload));
    return new Inbound.Event(new DeviceEvent(deviceId, name, data, receivedAt));
  }
}
