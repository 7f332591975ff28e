package io.hearth.gateway.broker;

import io.hearth.adapter.mqtt.TopicPermissions;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Shared pieces of the broker tests: ports, a test authorizer, waiting on Vert.x futures. */
final class BrokerTestSupport {

  static final String HOST = "127.0.0.1";

  /** Users of the test authorizer: user name → password. */
  private static final Map<String, String> PASSWORDS =
      Map.of("x", "secret-x", "y", "secret-y", "gateway", "secret-gw");

  private BrokerTestSupport() {}

  /** device X may use hearth/x/... as a device of the hearth convention; the gateway may use all. */
  static final BrokerAuthorizer AUTHORIZER =
      (clientId, username, password) -> {
        String expected = PASSWORDS.get(username);
        if (expected == null
            || password == null
            || !Arrays.equals(expected.getBytes(StandardCharsets.UTF_8), password)) {
          return Optional.empty();
        }
        if (username.equals("gateway")) {
          return Optional.of(new TopicPermissions(List.of("#"), List.of("#")));
        }
        return Optional.of(devicePermissions(username));
      };

  static TopicPermissions devicePermissions(String id) {
    String p = "hearth/" + id + "/";
    return new TopicPermissions(
        List.of(p + "state", p + "reply", p + "availability", p + "event/+"),
        List.of(p + "set", p + "action/+"));
  }

  static String password(String user) {
    return PASSWORDS.get(user);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  /** Waits for a Vert.x future from a test thread, with a deadline. */
  static <T> T awaitResult(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
