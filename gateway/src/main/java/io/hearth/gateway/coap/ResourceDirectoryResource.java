package io.hearth.gateway.coap;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.WebLink;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.LinkFormat;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /rd} resource of the gateway's CoAP endpoint (RFC 9176 registration interface) and
 * its registration resources {@code /rd/<handle>}. Each request is handed to the Vert.x context at
 * once, where {@link Discovery} decides, and answered from there.
 */
final class ResourceDirectoryResource extends CoapResource {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceDirectoryResource.class);

  private final Context context;
  private final Discovery discovery;
  private final RegistrationResource registration = new RegistrationResource();

  ResourceDirectoryResource(Context context, Discovery discovery) {
    super("rd");
    this.context = Objects.requireNonNull(context);
    this.discovery = Objects.requireNonNull(discovery);
    getAttributes().addResourceType("core.rd");
    getAttributes().addContentType(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
  }

  /** Every {@code /rd/<handle>} is served by one resource that reads the handle from the path. */
  @Override
  public Resource getChild(String name) {
    return registration;
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    int cf = exchange.getRequestOptions().getContentFormat();
    if (cf != MediaTypeRegistry.UNDEFINED && cf != MediaTypeRegistry.APPLICATION_LINK_FORMAT) {
      exchange.respond(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "the body must be application/link-format (40)");
      return;
    }
    String ep = exchange.getQueryParameter("ep");
    String base = exchange.getQueryParameter("base");
    Long lt;
    List<Discovery.Link> links;
    try {
      lt = lifetime(exchange);
      links = links(exchange.getRequestText());
    } catch (IllegalArgumentException e) {
      LOG.info("RD registration refused [ep: {}, reason: {}]", ep, e.getMessage());
      exchange.respond(ResponseCode.BAD_REQUEST, e.getMessage());
      return;
    }
    var source = exchange.getSourceSocketAddress();
    onContext(exchange, () -> discovery.register(ep, lt, base, source, links));
  }

  private void onContext(CoapExchange exchange, java.util.function.Supplier<Discovery.Outcome> action) {
    context.runOnContext(v -> {
      Discovery.Outcome o;
      try {
        o = action.get();
      } catch (RuntimeException e) {
        LOG.error("RD request failed", e);
        exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR);
        return;
      }
      respond(exchange, o);
    });
  }

  private static void respond(CoapExchange exchange, Discovery.Outcome o) {
    ResponseCode code = switch (o.code()) {
      case "2.01" -> ResponseCode.CREATED;
      case "2.02" -> ResponseCode.DELETED;
      case "2.04" -> ResponseCode.CHANGED;
      case "4.04" -> ResponseCode.NOT_FOUND;
      case "5.03" -> ResponseCode.SERVICE_UNAVAILABLE;
      default -> ResponseCode.BAD_REQUEST;
    };
    Response response = new Response(code);
    if (code == ResponseCode.CREATED) {
      response.getOptions().setLocationPath("rd/" + o.handle());
    } else if (o.diagnostic() != null) {
      response.setPayload(o.diagnostic());
      response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
    }
    exchange.respond(response);
  }

  private static Long lifetime(CoapExchange exchange) {
    String lt = exchange.getQueryParameter("lt");
    if (lt == null) {
      return null;
    }
    try {
      return Long.parseLong(lt);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("lt must be a number of seconds");
    }
  }

  /** Parses a link-format body ({@code </state>;rt="hearth.light.dimmable"}). */
  static List<Discovery.Link> links(String body) {
    if (body == null || body.isBlank()) {
      throw new IllegalArgumentException("the body must list the device's links");
    }
    Set<WebLink> parsed;
    try {
      parsed = LinkFormat.parse(body);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the body is not link-format");
    }
    List<Discovery.Link> out = new ArrayList<>();
    for (WebLink l : parsed) {
      List<String> rts = new ArrayList<>();
      for (String rt : l.getAttributes().getResourceTypes()) {
        for (String one : rt.trim().split("\\s+")) {
          if (!one.isEmpty()) {
            rts.add(one);
          }
        }
      }
      List<String> base = l.getAttributes().getAttributeValues("base");
      out.add(new Discovery.Link(l.getURI(), rts, base == null || base.isEmpty() ? null : base.get(0)));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("the body is not link-format");
    }
    return out;
  }

  /** {@code /rd/<handle>}: update (POST) and removal (DELETE). */
  private final class RegistrationResource extends CoapResource {
    RegistrationResource() {
      super("registration", false);
    }

    @Override
    public Resource getChild(String name) {
      return null;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
      String handle = handle(exchange);
      Long lt;
      try {
        lt = lifetime(exchange);
      } catch (IllegalArgumentException e) {
        exchange.respond(ResponseCode.BAD_REQUEST, e.getMessage());
        return;
      }
      onContext(exchange, () -> discovery.update(handle, lt));
    }

    @Override
    public void handleDELETE(CoapExchange exchange) {
      String handle = handle(exchange);
      onContext(exchange, () -> discovery.remove(handle));
    }

    private String handle(CoapExchange exchange) {
      List<String> path = exchange.getRequestOptions().getUriPath();
      return path.size() == 2 ? path.get(1) : "";
    }
  }

}
