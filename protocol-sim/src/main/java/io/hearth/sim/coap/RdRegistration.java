package io.hearth.sim.coap;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one device with a CoRE Resource Directory (RFC 9176) and keeps the registration alive:
 * {@code POST <rd>/rd?ep=<id>&lt=<seconds>} with the device's link-format, sent from the device's
 * own endpoint so the directory takes the request's source address as the device's base; then a
 * registration update (empty POST to the returned location) at three quarters of the lifetime. A
 * 4.04 on update (the directory forgot it) registers again; any other failure retries after a
 * quarter of the lifetime (1–30 s). Runs on the device's context; Californium's callbacks hop there.
 */
final class RdRegistration {

  private static final Logger LOG = LoggerFactory.getLogger(RdRegistration.class);

  private final Vertx vertx;
  private final Context context;
  private final Endpoint endpoint;
  private final URI directory;
  private final int lifetimeSeconds;
  private final String endpointName;
  private final String links;
  private List<String> location;
  private long timer = -1;
  private boolean stopped;
  private int registrations;
  private int updates;

  /**
   * @param rdUri {@code coap://host:port} (the registration interface is then {@code /rd}) or a URI
   *              with the registration interface's path
   */
  RdRegistration(Vertx vertx, Context context, Endpoint endpoint, String rdUri, int lifetimeSeconds,
      String endpointName, String links) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    URI u = URI.create(Objects.requireNonNull(rdUri, "rdUri"));
    String path = u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/") ? "/rd" : u.getPath();
    this.directory = URI.create(u.getScheme() + "://" + u.getAuthority() + path);
    this.lifetimeSeconds = lifetimeSeconds;
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.links = Objects.requireNonNull(links, "links");
  }

  /** Registers now; call on the device's context. */
  void start() {
    register();
  }

  /** Stops refreshing; the registration lapses at the end of its lifetime. */
  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    timer = -1;
  }

  private void register() {
    if (stopped) {
      return;
    }
    Request r = Request.newPost();
    r.setURI(URI.create(directory + "?ep=" + endpointName + "&lt=" + lifetimeSeconds));
    r.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
    r.setPayload(links);
    send(r, resp -> {
      if (resp.getCode() == ResponseCode.CREATED && resp.getOptions().getLocationPathCount() > 0) {
        location = List.copyOf(resp.getOptions().getLocationPath());
        registrations++;
        LOG.info("registered with resource directory [device: {}, rd: {}, location: /{}, lt: {}]", endpointName,
            directory, String.join("/", location), lifetimeSeconds);
        schedule(lifetimeSeconds * 750L, this::update);
      } else {
        LOG.info("resource directory refused registration [device: {}, code: {}]", endpointName, resp.getCode());
        retryLater();
      }
    });
  }

  private void update() {
    if (stopped) {
      return;
    }
    Request r = Request.newPost();
    r.setURI(URI.create(directory.getScheme() + "://" + directory.getAuthority() + "/" + String.join("/", location)));
    send(r, resp -> {
      if (resp.getCode() == ResponseCode.CHANGED) {
        updates++;
        LOG.debug("registration refreshed [device: {}, location: /{}]", endpointName, String.join("/", location));
        schedule(lifetimeSeconds * 750L, this::update);
      } else if (resp.getCode() == ResponseCode.NOT_FOUND) {
        register();
      } else {
        retryLater();
      }
    });
  }

  private void retryLater() {
    schedule(Math.max(1000, Math.min(30_000, lifetimeSeconds * 250L)), location == null ? this::register : this::update);
  }

  private void schedule(long delayMs, Runnable task) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, delayMs), t -> task.run());
    }
  }

  /** Sends {@code r} from the device's endpoint; the outcome comes back on the device's context. */
  private void send(Request r, Consumer<Response> onResponse) {
    r.addMessageObserver(new MessageObserverAdapter() {
      @Override
      public void onResponse(Response response) {
        context.runOnContext(v -> {
          if (!stopped) {
            onResponse.accept(response);
          }
        });
      }

      @Override
      public void onTimeout() {
        failed("timeout");
      }

      @Override
      public void onSendError(Throwable error) {
        failed(String.valueOf(error));
      }

      @Override
      public void onReject() {
        failed("reset");
      }

      private void failed(String why) {
        context.runOnContext(v -> {
          if (!stopped) {
            LOG.debug("resource directory unreachable [device: {}, rd: {}]: {}", endpointName, directory, why);
            retryLater();
          }
        });
      }
    });
    endpoint.sendRequest(r);
  }

  /** Successful registrations so far (on the device's context). */
  int registrations() {
    return registrations;
  }

  /** Successful refreshes so far (on the device's context). */
  int updates() {
    return updates;
  }
}
