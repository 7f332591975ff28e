package io.hearth.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting against no broker fails after the deadline and leaves nothing running. */
@Timeout(30)
class StartFailureTest {

  @Test
  void noBrokerFailsAfterDeadline() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Set<Long> before = vertxThreads();
    SimOptions options = SimOptions.defaults("tcp://127.0.0.1:" + port).withStartTimeout(Duration.ofSeconds(2));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Simulator.start(options, List.of(SimDeviceSpec.mqtt("lamp", "light.dimmable"))));
    assertTrue(e.getMessage().contains("1 of 1") && e.getMessage().contains("(e.g. lamp: "), e.getMessage());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> vertxThreads().equals(before));
  }

  @Test
  void badSpecsAreRefusedBeforeConnecting() {
    SimOptions options = SimOptions.defaults("tcp://127.0.0.1:1");
    assertThrows(IllegalArgumentException.class, () -> Simulator.start(options,
        List.of(SimDeviceSpec.mqtt("lock", "lock").withConvention("tasmota", null))));
    assertThrows(IllegalArgumentException.class, () -> Simulator.start(options,
        List.of(SimDeviceSpec.mqtt("a", "plug"), SimDeviceSpec.mqtt("a", "plug"))));
    assertThrows(IllegalArgumentException.class, () -> SimDeviceSpec.mqtt("Bad Id", "plug"));
  }

  private static Set<Long> vertxThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("vert.x-"))
        .map(Thread::getId).collect(Collectors.toSet());
  }
}
