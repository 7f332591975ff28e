package io.hearth.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway core on one Vert.x context: store, registry, state, commands, adapters and the app
 * API, wired by {@link CoreAssembly} and started and stopped by its lifecycle. Everything here runs
 * on this verticle's event loop; the store runs on its own worker.
 */
final class CoreVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CoreVerticle.class);

  private final CoreSettings settings;
  private CoreAssembly assembly;

  private final Future<Void> brokerReady;

  /** @param brokerReady completes once the embedded broker accepts connections (the adapters wait for it) */
  CoreVerticle(CoreSettings settings, Future<Void> brokerReady) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.brokerReady = Objects.requireNonNull(brokerReady, "brokerReady");
  }

  @Override
  public Future<?> start() {
    assembly = new CoreAssembly(vertx, context, settings, brokerReady);
    return assembly.lifecycle().start();
  }

  @Override
  public Future<?> stop() {
    if (assembly == null) {
      return Future.succeededFuture();
    }
    return assembly.lifecycle().stop().onComplete(r -> LOG.info("core stopped [cleanly: {}]", r.succeeded()));
  }

  /** The wired core; null before {@link #start()}. */
  CoreAssembly assembly() {
    return assembly;
  }
}
