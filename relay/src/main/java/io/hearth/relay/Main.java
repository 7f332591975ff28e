package io.hearth.relay;

import io.hearth.relay.config.RelayConfig;
import io.hearth.relay.config.RelayConfigException;
import io.hearth.relay.config.RelayConfigLoader;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar hearth-relay.jar [--config relay.yaml]}: one relay node with its embedded store
 * (docs/relay.md, "Deploy"). Without {@code --config}, {@code relay.yaml} in the working folder if
 * there is one, else the defaults; {@code HEARTH_RELAY_*} variables override either. Exit status 1
 * for a bad configuration, 3 when the server cannot start.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else {
        System.err.println("hearth-relay: usage: java -jar hearth-relay.jar [--config relay.yaml]");
        System.exit(2);
      }
    }
    if (file == null && Files.exists(Path.of("relay.yaml"))) {
      file = Path.of("relay.yaml");
    }
    RelayConfig config;
    try {
      config = new RelayConfigLoader(System.getenv()).load(file);
    } catch (RelayConfigException e) {
      System.err.println("hearth-relay: " + e.getMessage());
      System.exit(1);
      return;
    }
    Vertx vertx = Vertx.vertx();
    RelayServer server = new RelayServer(config);
    try {
      vertx.deployVerticle(server).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("hearth-relay: cannot start: " + e.getMessage());
      vertx.close();
      System.exit(3);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // exiting anyway
      }
      stopped.countDown();
    }, "hearth-relay-stop"));
  }
}
