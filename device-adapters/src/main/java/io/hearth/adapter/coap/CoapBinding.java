package io.hearth.adapter.coap;

import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import java.util.Map;
import java.util.Objects;

/**
 * The binding of a CoAP device ({@code protocol: coap}); parsed and stored by {@link CoapTransport}.
 *
 * @param convention {@code hearth} or {@code generic}
 * @param uri        base URI, {@code coap://host:port} or {@code coaps://host:port}
 * @param statePath  {@code generic}: path of the observable state resource ({@code binding.state},
 *                   default {@code /state})
 * @param write      {@code generic}: {@code replace} or {@code patch} (default {@code patch})
 * @param extra      further keys, kept as given: {@code psk} (DTLS identity and key, see
 *                   {@link PskCredentials})
 */
public record CoapBinding(String convention, String uri, String statePath, String write, Map<String, Object> extra)
    implements Binding {
  /** The {@code binding.protocol} of CoAP devices. */
  public static final String PROTOCOL = "coap";
  /** Default of {@code binding.state}. */
  public static final String DEFAULT_STATE_PATH = "/state";
  /** Default of {@code binding.write}. */
  public static final String DEFAULT_WRITE = "patch";

  public CoapBinding {
    Objects.requireNonNull(uri, "uri");
    convention = convention == null ? HearthCoapConvention.NAME : convention;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  /** A {@code hearth} binding at that URI with the defaults (as discovery registers devices). */
  public static CoapBinding hearth(String uri) {
    return new CoapBinding(HearthCoapConvention.NAME, uri, DEFAULT_STATE_PATH, DEFAULT_WRITE, Map.of());
  }

  @Override
  public String protocol() {
    return PROTOCOL;
  }

  /**
   * The CoAP binding of a device.
   *
   * @throws IllegalArgumentException if the device is bound over another protocol
   */
  public static CoapBinding of(DeviceDefinition device) {
    if (device.binding() instanceof CoapBinding b) {
      return b;
    }
    throw new IllegalArgumentException("device '" + device.id() + "' is bound over "
        + device.binding().protocol() + ", not " + PROTOCOL);
  }
}
