package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A third-party MQTT broker for interop tests: Eclipse Mosquitto 2 run as a child process on a
 * free loopback port, with a password file (anonymous clients refused) and no persistence.
 * {@link #start()} returns once the port accepts connections; {@link #kill()} ends it at once
 * (SIGKILL, like a crash); {@link #start()} again reuses the same port.
 */
final class Mosquitto implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");

  private final Path dir;
  private final int port;
  private Process process;

  /**
   * @param users user name → password of every client (the gateway and each device)
   */
  Mosquitto(Path dir, Map<String, String> users) {
    assumeInstalled();
    this.dir = dir;
    this.port = GatewayFixture.freePort();
    try {
      Files.createDirectories(dir);
      Path passwords = dir.resolve("passwords");
      Files.writeString(passwords, users.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
          .collect(Collectors.joining("\n", "", "\n")));
      run(PASSWD.toString(), "-U", passwords.toString()); // hash the plain-text file in place
      Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
          "listener " + port + " 127.0.0.1",
          "allow_anonymous false",
          "password_file " + passwords,
          "persistence false",
          "user root", // only used when run as root: keep access to the temp dir
          "log_type error",
          "log_type warning",
          "log_dest stderr",
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips the test when Mosquitto is not installed (CI installs it with apt). */
  static void assumeInstalled() {
    Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(PASSWD),
        "Mosquitto is not installed (" + BINARY + ", " + PASSWD + "): apt-get install mosquitto");
  }

  int port() {
    return port;
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Starts the broker and waits until its port accepts connections. */
  synchronized Mosquitto start() {
    if (process != null && process.isAlive()) {
      return this;
    }
    try {
      process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process p = process;
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("mosquitto exited with " + p.exitValue() + ": " + log());
      }
      return accepts();
    });
    return this;
  }

  /** Kills the broker at once (SIGKILL) and waits until it is gone. */
  synchronized void kill() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("mosquitto did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Freezes ({@code true}: SIGSTOP) or resumes ({@code false}: SIGCONT) the broker process. */
  synchronized void freeze(boolean frozen) {
    try {
      run("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean running() {
    return process != null && process.isAlive();
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

  private static void run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    kill();
  }
}
