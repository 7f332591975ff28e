package io.hearth.adapter.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The native CoAP convention: the device is a CoAP server with
 * <ul>
 *   <li>{@code GET /state} (observable): JSON or CBOR object of properties;
 *   <li>{@code PUT /state} (confirmable): the properties to change, answered 2.04;
 *   <li>{@code POST /actions/{name}}: the action's input object, answered 2.04 or 2.05 (+ output);
 *   <li>{@code GET /events} (observable): the latest event {@code {"name":…,"data":{…}}}.
 * </ul>
 */
public final class HearthCoapConvention implements CoapConvention {

  public static final String NAME = "hearth";
  private static final List<String> STATE = List.of("state");
  private static final List<String> EVENTS = List.of("events");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> statePath(DeviceDefinition device) {
    return STATE;
  }

  @Override
  public Optional<List<String>> eventsPath(DeviceDefinition device) {
    return Optional.of(EVENTS);
  }

  @Override
  public CoapRequestSpec encode(DeviceDefinition device, DeviceCommand command, Map<String, Object> lastKnown) {
    if (command.isAction()) {
      String name = command.action();
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("action name '" + name + "' cannot be a CoAP path segment");
      }
      return new CoapRequestSpec(CoapRequestSpec.Method.POST, List.of("actions", name),
          CoapPayloads.json(command.input()));
    }
    return new CoapRequestSpec(CoapRequestSpec.Method.PUT, STATE, CoapPayloads.json(command.set()));
  }

  @Override
  public Map<String, Object> decodeState(byte[] payload, int contentFormat) {
    return CoapPayloads.reported(payload, contentFormat);
  }

  @Override
  public Optional<DeviceEvent> decodeEvent(String deviceId, byte[] payload, int contentFormat, Instant receivedAt) {
    if (payload.length == 0) {
      return Optional.empty();
    }
    ObjectNode o = CoapPayloads.parseObject(payload, contentFormat);
    JsonNode name = o.get("name");
    if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
      throw new MalformedPayloadException("event without a string name");
    }
    JsonNode data = o.get("data");
    if (data != null && !data.isNull() && !data.isObject()) {
      throw new MalformedPayloadException("event data is not an object");
    }
    Map<String, Object> values = data instanceof ObjectNode d ? JsonPayloads.scalars(d) : Map.of();
    return Optional.of(new DeviceEvent(deviceId, name.textValue(), values, receivedAt));
  }
}
