package io.hearth.gateway.coap;

import io.hearth.adapter.Discovered;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.coap.HearthCoapConvention;
import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.discovery.PendingDevices;
import io.hearth.gateway.registry.DeviceRegistry;
import io.vertx.core.Vertx;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the gateway's CoRE Resource Directory (RFC 9176), without any CoAP class: the
 * registrations by handle and their lifetimes. Every registration is offered to the gateway's
 * {@link PendingDevices} (source {@code coap-rd}, key and suggested id the endpoint name, the
 * profile named by {@code rt="hearth.<profile>"}, binding {@code coap}/{@code hearth} at the
 * device's address): one whose endpoint is not a registered device is pending until the owner
 * approves it. A removed or lapsed registration is withdrawn from that list; a lapsed one marks an
 * approved device offline ({@code timeout}). Registrations live in memory only. Used on the core
 * context only.
 */
public final class Discovery {
  /** RFC 9176 default lifetime (25 h). */
  public static final long DEFAULT_LIFETIME_SECONDS = 90_000;
  /** Longest lifetime accepted (RFC 9176: 2^32 − 1 s). */
  public static final long MAX_LIFETIME_SECONDS = 4_294_967_295L;
  /** The {@link Discovered#source()} of registrations. */
  public static final String SOURCE = "coap-rd";
  /** Resource-type prefix naming a profile. */
  public static final String RT_PREFIX = "hearth.";
  /**
   * Most registrations held at once (pending or not), so a flood cannot grow memory without bound:
   * the default of {@code coap.maxRegistrations}.
   */
  public static final int MAX_REGISTRATIONS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

  /** Told when an approved device's registration lapses or comes back. */
  public interface AvailabilityListener {
    void availabilityChanged(String deviceId, boolean online, String reason);
  }

  /** One link of a registration's link-format body. */
  public record Link(String target, List<String> resourceTypes, String base) {
    public Link {
      Objects.requireNonNull(target, "target");
      resourceTypes = resourceTypes == null ? List.of() : List.copyOf(resourceTypes);
    }
  }

  /** One registration. {@code uri} is where the gateway reaches the device. */
  public record Registration(String handle, String endpoint, String profileId, String uri, long lifetimeSeconds,
      Instant registeredAt, Instant expiresAt) {}

  /**
   * The CoAP outcome of an RD request, without CoAP types.
   *
   * @param code       {@code 2.01}, {@code 2.04}, {@code 2.02}, {@code 4.00}, {@code 4.04}, {@code 5.03}
   * @param handle     the registration's handle (for 2.01), else null
   * @param diagnostic a short reason for an error, else null
   */
  public record Outcome(String code, String handle, String diagnostic) {
    static Outcome error(String code, String diagnostic) {
      return new Outcome(code, null, diagnostic);
    }
  }

  private final Vertx vertx;
  private final DeviceRegistry registry;
  private final AvailabilityListener availability;
  private final PendingDevices pending;
  private final Clock clock;
  private final int maxRegistrations;
  private final Map<String, Registration> byHandle = new LinkedHashMap<>();
  private final Map<String, String> handleByEndpoint = new LinkedHashMap<>();
  private final Map<String, Long> timers = new LinkedHashMap<>();
  private final Set<String> lapsed = new HashSet<>();

  public Discovery(Vertx vertx, DeviceRegistry registry, AvailabilityListener availability, PendingDevices pending,
      Clock clock) {
    this(vertx, registry, availability, pending, clock, MAX_REGISTRATIONS);
  }

  /** @param maxRegistrations registrations held at once ({@code coap.maxRegistrations}); more answer 5.03 */
  public Discovery(Vertx vertx, DeviceRegistry registry, AvailabilityListener availability, PendingDevices pending,
      Clock clock, int maxRegistrations) {
    if (maxRegistrations < 1) {
      throw new IllegalArgumentException("maxRegistrations must be at least 1: " + maxRegistrations);
    }
    this.maxRegistrations = maxRegistrations;
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.availability = Objects.requireNonNull(availability, "availability");
    this.pending = Objects.requireNonNull(pending, "pending");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * {@code POST /rd?ep=…&lt=…&base=…}: registers, or replaces the registration of the same endpoint.
   *
   * @param lifetime seconds, or null for the default
   * @param base     the {@code base} query parameter, or null
   * @param source   the request's source address
   */
  public Outcome register(String endpoint, Long lifetime, String base, InetSocketAddress source, List<Link> links) {
    if (endpoint == null || !DeviceDefinition.isValidId(endpoint)) {
      return rejected(endpoint, "ep must be a device id: 1-64 characters of [a-z0-9_-]");
    }
    long lt = lifetime == null ? DEFAULT_LIFETIME_SECONDS : lifetime;
    if (lt < 1 || lt > MAX_LIFETIME_SECONDS) {
      return rejected(endpoint, "lt must be 1-" + MAX_LIFETIME_SECONDS + " seconds");
    }
    Optional<String> profile = links.stream().flatMap(l -> l.resourceTypes().stream())
        .filter(rt -> rt.startsWith(RT_PREFIX))
        .map(rt -> rt.substring(RT_PREFIX.length()))
        .filter(p -> registry.profiles().containsKey(p))
        .findFirst();
    if (profile.isEmpty()) {
      return rejected(endpoint, "no link with rt=\"hearth.<profile>\" naming a known profile");
    }
    String linkBase = links.stream().map(Link::base).filter(Objects::nonNull).findFirst().orElse(null);
    String uri;
    try {
      uri = deviceUri(base != null ? base : linkBase, source);
    } catch (IllegalArgumentException e) {
      return rejected(endpoint, e.getMessage());
    }
    String handle = handleByEndpoint.get(endpoint);
    if (handle == null) {
      if (byHandle.size() >= maxRegistrations) {
        LOG.warn("resource directory full: registration refused [ep: {}]", endpoint);
        return Outcome.error("5.03", "resource directory full");
      }
      handle = UUID.randomUUID().toString().substring(0, 8);
    }
    Instant now = clock.instant();
    Registration r = new Registration(handle, endpoint, profile.get(), uri, lt, now, now.plusSeconds(lt));
    put(r);
    pending.offer(discovered(r));
    boolean known = registry.get(endpoint).isPresent();
    LOG.info("RD registration [ep: {}, handle: {}, profile: {}, uri: {}, lt: {}, pending: {}]", endpoint, handle,
        r.profileId(), uri, lt, !known);
    cameBack(endpoint);
    return new Outcome("2.01", handle, null);
  }

  /** {@code POST /rd/<handle>[?lt=…]}: refreshes a registration's lifetime. */
  public Outcome update(String handle, Long lifetime) {
    Registration r = byHandle.get(handle);
    if (r == null) {
      return Outcome.error("4.04", "no such registration");
    }
    long lt = lifetime == null ? r.lifetimeSeconds() : lifetime;
    if (lt < 1 || lt > MAX_LIFETIME_SECONDS) {
      return Outcome.error("4.00", "lt must be 1-" + MAX_LIFETIME_SECONDS + " seconds");
    }
    Registration updated = new Registration(handle, r.endpoint(), r.profileId(), r.uri(), lt, r.registeredAt(),
        clock.instant().plusSeconds(lt));
    put(updated);
    pending.offer(discovered(updated));
    LOG.debug("RD update [ep: {}, handle: {}, lt: {}]", r.endpoint(), handle, lt);
    cameBack(r.endpoint());
    return new Outcome("2.04", handle, null);
  }

  /** {@code DELETE /rd/<handle>}: removes a registration (the device, if approved, stays). */
  public Outcome remove(String handle) {
    Registration r = byHandle.get(handle);
    if (r == null) {
      return Outcome.error("4.04", "no such registration");
    }
    drop(r);
    LOG.info("RD registration removed [ep: {}, handle: {}]", r.endpoint(), handle);
    return new Outcome("2.02", null, null);
  }

  /** Every registration held. */
  public List<Registration> registrations() {
    return List.copyOf(byHandle.values());
  }

  /** The pending-list entry of a registration. */
  static Discovered discovered(Registration r) {
    Map<String, Object> binding = new LinkedHashMap<>();
    binding.put("protocol", CoapBinding.PROTOCOL);
    binding.put("convention", HearthCoapConvention.NAME);
    binding.put("uri", r.uri());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("uri", r.uri());
    details.put("registeredAt", Timestamps.wire(r.registeredAt()));
    details.put("expiresAt", Timestamps.wire(r.expiresAt()));
    details.put("lifetime", r.lifetimeSeconds());
    return new Discovered(SOURCE, r.endpoint(), r.endpoint(), null, r.profileId(), binding, details,
        r.expiresAt().minusSeconds(r.lifetimeSeconds()));
  }

  /** Cancels every lifetime timer. */
  public void close() {
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
  }

  private Outcome rejected(String endpoint, String reason) {
    LOG.info("RD registration refused [ep: {}, reason: {}]", endpoint, reason);
    return Outcome.error("4.00", reason);
  }

  private void put(Registration r) {
    byHandle.put(r.handle(), r);
    handleByEndpoint.put(r.endpoint(), r.handle());
    Long old = timers.remove(r.handle());
    if (old != null) {
      vertx.cancelTimer(old);
    }
    long delayMs = Math.max(1, r.expiresAt().toEpochMilli() - clock.millis());
    timers.put(r.handle(), vertx.setTimer(delayMs, t -> {
      timers.remove(r.handle());
      if (byHandle.get(r.handle()) == r) {
        lapse(r);
      }
    }));
  }

  private void lapse(Registration r) {
    drop(r);
    if (registry.get(r.endpoint()).isPresent()) {
      LOG.info("RD lifetime lapsed: device marked offline [device: {}, handle: {}]", r.endpoint(), r.handle());
      lapsed.add(r.endpoint());
      availability.availabilityChanged(r.endpoint(), false, "timeout");
    } else {
      LOG.info("RD lifetime lapsed: pending registration dropped [ep: {}, handle: {}]", r.endpoint(), r.handle());
    }
  }

  private void drop(Registration r) {
    byHandle.remove(r.handle());
    handleByEndpoint.remove(r.endpoint(), r.handle());
    pending.withdraw(SOURCE, r.endpoint());
    Long t = timers.remove(r.handle());
    if (t != null) {
      vertx.cancelTimer(t);
    }
  }

  private void cameBack(String endpoint) {
    if (lapsed.remove(endpoint) && registry.get(endpoint).isPresent()) {
      availability.availabilityChanged(endpoint, true, null);
    }
  }

  /** The device's URI: {@code base} when given (coap:// or coaps://), else the request's source. */
  static String deviceUri(String base, InetSocketAddress source) {
    if (base != null) {
      URI u;
      try {
        u = URI.create(base);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("base is not a URI");
      }
      if (!("coap".equals(u.getScheme()) || "coaps".equals(u.getScheme())) || u.getHost() == null
          || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))) {
        throw new IllegalArgumentException("base must be coap://host:port or coaps://host:port");
      }
      return u.getScheme() + "://" + u.getRawAuthority();
    }
    String host = source.getAddress().getHostAddress();
    if (source.getAddress() instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    return "coap://" + host + ":" + source.getPort();
  }
}
