package io.hearth.adapter.mqtt;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Eclipse Mosquitto 2 as a child process on a given loopback port (so that it can be restarted with
 * another configuration on the same address), anonymous clients allowed. Skips the test when
 * Mosquitto is not installed.
 */
final class TestMosquitto implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private final Path dir;
  private final int port;
  private final Process process;

  private TestMosquitto(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Starts on {@code port} with these extra configuration lines (e.g. {@code max_packet_size 2000}). */
  static TestMosquitto start(Path dir, int port, String... extra) throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(BINARY), "Mosquitto is not installed: apt-get install mosquitto");
    Files.createDirectories(dir);
    List<String> conf = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
        "persistence false", "user root", "log_type all", "log_dest stderr"));
    conf.addAll(List.of(extra));
    conf.add("");
    Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", conf));
    Process p = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
        .start();
    TestMosquitto m = new TestMosquitto(dir, port, p);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("mosquitto exited: " + m.log());
      }
      return m.accepts();
    });
    return m;
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String log() {
    try {
      Path f = dir.resolve("mosquitto.log");
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
