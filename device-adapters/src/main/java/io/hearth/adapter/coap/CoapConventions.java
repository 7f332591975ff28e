package io.hearth.adapter.coap;

import io.hearth.device.DeviceDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The CoAP conventions by name. */
public final class CoapConventions {
  private static final List<String> NAMES = List.of(HearthCoapConvention.NAME, GenericCoapConvention.NAME);
  private static final Map<String, CoapConvention> ALL =
      Map.of(HearthCoapConvention.NAME, new HearthCoapConvention(), GenericCoapConvention.NAME,
          new GenericCoapConvention());

  private CoapConventions() {}

  /** The names of every CoAP convention, the default ({@code hearth}) first. */
  public static List<String> names() {
    return NAMES;
  }

  /** The convention of that name, if there is one. */
  public static Optional<CoapConvention> find(String name) {
    return Optional.ofNullable(ALL.get(name));
  }

  /**
   * The convention of a device's binding.
   *
   * @throws IllegalArgumentException if the binding names none
   */
  public static CoapConvention forDevice(DeviceDefinition device) {
    return find(device.binding().convention()).orElseThrow(() -> new IllegalArgumentException(
        "unknown CoAP convention '" + device.binding().convention() + "' (" + String.join(", ", NAMES) + ")"));
  }
}
