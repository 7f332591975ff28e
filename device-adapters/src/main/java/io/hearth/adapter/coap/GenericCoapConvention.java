package io.hearth.adapter.coap;

import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.Supports;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For devices that expose one observable state resource ({@code binding.state}, default
 * {@code /state}) and take writes by PUT to it (libcoap's example server is one). With
 * {@code binding.write: replace} a command PUTs the full merged state (last known state plus the
 * commanded values); with {@code patch} (default) only the commanded properties. No actions, no
 * events. Payloads are JSON (or CBOR inbound).
 */
public final class GenericCoapConvention implements CoapConvention {

  public static final String NAME = "generic";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> statePath(DeviceDefinition device) {
    String statePath = CoapBinding.of(device).statePath();
    String path = statePath == null ? CoapBinding.DEFAULT_STATE_PATH : statePath;
    List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("binding.state must name a resource, not '" + path + "'");
    }
    return segments;
  }

  @Override
  public Optional<List<String>> eventsPath(DeviceDefinition device) {
    return Optional.empty();
  }

  /** True when the binding asks for whole-state writes. */
  public static boolean replaces(DeviceDefinition device) {
    return "replace".equals(CoapBinding.of(device).write());
  }

  /** Every property of the profile, no action. */
  @Override
  public Supports supports(DeviceDefinition device, Profile profile) {
    return Supports.all(profile).withoutActions();
  }

  @Override
  public CoapRequestSpec encode(DeviceDefinition device, DeviceCommand command, Map<String, Object> lastKnown) {
    if (command.isAction()) {
      throw new IllegalArgumentException("the generic CoAP convention has no actions");
    }
    Map<String, Object> body;
    if (replaces(device)) {
      body = new LinkedHashMap<>(lastKnown);
      body.putAll(command.set());
    } else {
      body = command.set();
    }
    return new CoapRequestSpec(CoapRequestSpec.Method.PUT, statePath(device), CoapPayloads.json(body));
  }

  @Override
  public Map<String, Object> decodeState(byte[] payload, int contentFormat) {
    return CoapPayloads.reported(payload, contentFormat);
  }
}
