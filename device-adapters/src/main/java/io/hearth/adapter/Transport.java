package io.hearth.adapter;

import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One protocol the gateway speaks to devices (MQTT, CoAP, ...): everything protocol-specific the
 * gateway needs, behind one small interface, so that the gateway core names no protocol. A
 * transport owns its {@link Binding} record, parses and validates it from a {@code devices.yaml}
 * entry or a {@code POST /devices} body, stores it, says what a new device needs and creates the
 * {@link DeviceAdapter} that talks to its devices. Transports are registered once, in the gateway's
 * composition root, into {@link Transports}; docs/devices.md ("Adding a transport") lists the steps.
 *
 * <p>Implementations are thread-safe: parsing and storing run on whatever thread reads the file or
 * the store; {@link #deviceRegistered}/{@link #deviceRemoved} run on the gateway's context.
 */
public interface Transport {

  /** The {@code binding.protocol} this transport serves, e.g. {@code mqtt}. */
  String protocol();

  /** The conventions offered, the default ({@code binding.convention} left out) first. */
  List<String> conventions();

  /** The binding keys this transport reads besides {@code protocol} and {@code convention}. */
  Set<String> keys();

  /**
   * Parses and checks the transport's own keys. Problems go to {@link BindingInput#error}, each
   * naming its key and saying in one line what is allowed; the binding returned is used only if
   * no problem was reported.
   *
   * @return the binding, or null when a problem was reported
   */
  Binding parse(BindingInput input);

  /**
   * The stored form of a binding's own keys (without {@code protocol} and {@code convention}):
   * plain JSON values (String, Number, Boolean, List, Map), in a stable order.
   */
  Map<String, Object> toStored(Binding binding);

  /**
   * Reads a binding back from its stored form (what {@link #toStored} wrote, or an older row of
   * the same protocol: unknown keys are ignored).
   *
   * @param convention the stored {@code convention}, may be null for the default
   */
  Binding fromStored(String convention, Map<String, Object> stored);

  /**
   * What a device registered through the API needs before it is stored (MQTT: generated broker
   * credentials when none were given). The default needs nothing.
   *
   * @throws BindingException if the device cannot be admitted (the message names the key)
   */
  default NewDevice prepare(DeviceDefinition device) {
    return new NewDevice(device, Map.of());
  }

  /** A device of this transport is now registered (e.g. admit its broker credentials). */
  default void deviceRegistered(DeviceDefinition device) {}

  /** A device of this transport was removed. */
  default void deviceRemoved(DeviceDefinition device) {}

  /**
   * What a device's binding can carry for its profile: the properties its convention reads and
   * sets and the actions it can send. The default carries the whole profile; a convention that
   * maps only part of it (Tasmota, Zigbee2MQTT, generic CoAP) says so, and the gateway refuses a
   * command outside it before anything is recorded or sent.
   */
  default Supports supports(DeviceDefinition device, Profile profile) {
    return Supports.all(profile);
  }

  /** Creates the adapter for this transport's devices, on that Vert.x context. */
  DeviceAdapter newAdapter(Context context);

  /**
   * A device ready to be stored, and what the API shows once, in its answer to the registration
   * (e.g. {@code credentials}); never stored in this form and never listed again.
   */
  record NewDevice(DeviceDefinition device, Map<String, Object> shownOnce) {
    public NewDevice {
      shownOnce = Map.copyOf(shownOnce);
    }
  }
}
