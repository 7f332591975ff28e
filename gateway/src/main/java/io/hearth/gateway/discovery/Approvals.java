package io.hearth.gateway.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.BindingException;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.Transport;
import io.hearth.adapter.Transports;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.registry.DeviceParser;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approving a pending device ({@code POST /devices/{id}/approve}): its entry's binding and guessed
 * profile, with what the owner gives ({@code profile}, {@code name}, {@code room}; for CoAP also
 * {@code convention}, {@code write}, {@code state}), registered through the same checks as
 * {@code POST /devices}: {@link DeviceParser}, the transport's {@code prepare} (MQTT: generated
 * credentials), {@link DeviceRegistry#add}. Used on the core context only.
 */
public final class Approvals {
  private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Approval keys that change the binding, and only a CoAP one. */
  private static final List<String> COAP_BINDING_KEYS = List.of("convention", "write", "state");

  /** A registered device and what is shown once (generated credentials). */
  public record Approved(RegisteredDevice device, Map<String, Object> shownOnce) {}

  private final PendingDevices pending;
  private final DeviceRegistry registry;
  private final Transports transports;

  public Approvals(PendingDevices pending, DeviceRegistry registry, Transports transports) {
    this.pending = Objects.requireNonNull(pending, "pending");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.transports = Objects.requireNonNull(transports, "transports");
  }

  /**
   * Registers the device pending under {@code id}.
   *
   * @param body the approval's keys (empty for none)
   * @return the device; a {@link DeviceNotFoundException} when nothing is pending under that id, a
   *     {@link ValidationException} naming the key when the result is not a valid device
   */
  public Future<Approved> approve(String id, Map<String, Object> body) {
    Discovered d = pending.byId(id).orElse(null);
    if (d == null) {
      return Future.failedFuture(new DeviceNotFoundException(id, "no device pending approval under '" + id + "'"));
    }
    Map<String, Object> binding = new LinkedHashMap<>(d.binding());
    boolean coap = "coap".equals(binding.get("protocol"));
    for (String key : COAP_BINDING_KEYS) {
      if (body.get(key) != null) {
        if (!coap) {
          return Future.failedFuture(ValidationException.of(key, "can be given only when approving a CoAP device"));
        }
        binding.put(key, body.get(key));
      }
    }
    ObjectNode entry = MAPPER.createObjectNode();
    entry.put("id", d.suggestedId());
    putText(entry, "name", body.containsKey("name") ? body.get("name") : d.name());
    putText(entry, "room", body.get("room"));
    putText(entry, "profile", body.containsKey("profile") ? body.get("profile") : d.profile());
    entry.set("binding", MAPPER.valueToTree(binding));
    DeviceParser.Result parsed = DeviceParser.parse(entry, registry.profiles(), transports);
    if (!parsed.ok()) {
      return Future.failedFuture(ValidationException.of(parsed.errors()));
    }
    Transport.NewDevice prepared;
    try {
      prepared = transports.prepare(parsed.device());
    } catch (BindingException e) {
      return Future.failedFuture(ValidationException.of("binding." + e.key(), e.getMessage()));
    }
    return registry.add(prepared.device()).map(device -> {
      // the entry stays, unlisted while the device is registered (listed again if it is deleted)
      LOG.info("discovered device approved [device: {}, source: {}, key: {}, profile: {}]", device.id(), d.source(),
          d.key(), device.definition().profileId());
      return new Approved(device, prepared.shownOnce());
    });
  }

  private static void putText(ObjectNode n, String key, Object value) {
    if (value != null) {
      n.put(key, value.toString());
    }
  }
}
