package io.hearth.sim;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Eclipse Mosquitto 2 as a child process on a free loopback port, anonymous clients allowed, every
 * log type on: its log shows each CONNECT as the client sent it ({@code New client connected from
 * 127.0.0.1:p as DVES_1A2B3C (p2, c1, k60).}: p2 = MQTT 3.1.1, p5 = MQTT 5, c1 = clean session).
 * Skips the test when Mosquitto is not installed.
 */
final class MosquittoBroker implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private final Path dir;
  private final int port;
  private final Process process;

  private MosquittoBroker(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  static MosquittoBroker start(Path dir) throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(BINARY), "Mosquitto is not installed: apt-get install mosquitto");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence false",
        "user root",
        "log_type all",
        "log_dest stderr",
        ""));
    Process p = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
        .start();
    MosquittoBroker b = new MosquittoBroker(dir, port, p);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("mosquitto exited: " + b.log());
      }
      return b.accepts();
    });
    return b;
  }

  String url() {
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
      process.destroyForcibly();
    }
  }
}
