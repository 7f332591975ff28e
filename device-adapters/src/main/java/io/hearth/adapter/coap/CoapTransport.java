package io.hearth.adapter.coap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.BindingInput;
import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.Supports;
import io.hearth.adapter.Transport;
import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Context;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * CoAP as a {@link Transport}: {@link CoapBinding} ({@code uri}, {@code state}, {@code write},
 * {@code psk}), the conventions of {@link CoapConventions} and {@link CoapDeviceAdapter}. Keys and
 * checks are documented in docs/devices.md.
 */
public final class CoapTransport implements Transport {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String URI_KEY = "uri";
  private static final String STATE = "state";
  private static final String WRITE = "write";
  /** Stored names of the keys (older rows use them too). */
  private static final String STORED_STATE = "statePath";
  private static final String STORED_EXTRA = "extra";

  private final CoapAdapterOptions options;

  public CoapTransport(CoapAdapterOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String protocol() {
    return CoapBinding.PROTOCOL;
  }

  @Override
  public List<String> conventions() {
    return CoapConventions.names();
  }

  @Override
  public Set<String> keys() {
    return Set.of(URI_KEY, STATE, WRITE, PskCredentials.BINDING_KEY);
  }

  @Override
  public Binding parse(BindingInput in) {
    String uri = in.text(URI_KEY);
    if (uri == null || !(uri.startsWith("coap://") || uri.startsWith("coaps://"))) {
      in.error(URI_KEY, "is required for coap: coap://host:port or coaps://host:port");
    } else if (!hasHost(uri)) {
      in.error(URI_KEY, "is not a valid URI");
    }
    String state = in.text(STATE);
    if (state != null && !state.startsWith("/")) {
      in.error(STATE, "must be a path starting with /");
    }
    String write = in.text(WRITE);
    if (write != null && !write.equals("replace") && !write.equals("patch")) {
      in.error(WRITE, "must be replace or patch");
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    if (in.has(PskCredentials.BINDING_KEY)) {
      extra.put(PskCredentials.BINDING_KEY, MAPPER.convertValue(in.node(PskCredentials.BINDING_KEY), Object.class));
    }
    if (uri == null) {
      return null;
    }
    CoapBinding binding = new CoapBinding(in.convention(), uri, state == null ? CoapBinding.DEFAULT_STATE_PATH : state,
        write == null ? CoapBinding.DEFAULT_WRITE : write, extra);
    checkPsk(in, binding);
    return binding;
  }

  /** A {@code coaps://} device needs its DTLS key, well formed, at parse time: never only at attach. */
  private static void checkPsk(BindingInput in, CoapBinding binding) {
    try {
      if (PskCredentials.of(binding).isEmpty() && binding.uri().startsWith("coaps://")) {
        in.error(PskCredentials.BINDING_KEY, "is required for a coaps:// device: { identity, key }"
            + " (docs/conventions-coap.md), or use coap://");
      }
    } catch (IllegalArgumentException e) {
      in.error(PskCredentials.BINDING_KEY, e.getMessage().replaceFirst("^binding\\.psk\\.?", "").trim());
    }
  }

  private static boolean hasHost(String uri) {
    try {
      return URI.create(uri).getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public Map<String, Object> toStored(Binding binding) {
    CoapBinding b = (CoapBinding) binding;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(URI_KEY, b.uri());
    out.put(STORED_STATE, b.statePath());
    out.put(WRITE, b.write());
    out.put(STORED_EXTRA, b.extra());
    return out;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Binding fromStored(String convention, Map<String, Object> stored) {
    Object extra = stored.get(STORED_EXTRA);
    return new CoapBinding(convention, text(stored, URI_KEY), text(stored, STORED_STATE), text(stored, WRITE),
        extra instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
  }

  private static String text(Map<String, Object> stored, String key) {
    Object v = stored.get(key);
    return v == null ? null : v.toString();
  }

  /** What the device's convention carries for its profile ({@code generic}: no actions). */
  @Override
  public Supports supports(DeviceDefinition device, Profile profile) {
    return CoapConventions.find(device.binding().convention()).map(c -> c.supports(device, profile))
        .orElseGet(() -> Supports.all(profile));
  }

  @Override
  public DeviceAdapter newAdapter(Context context) {
    return new CoapDeviceAdapter(context, options);
  }
}
