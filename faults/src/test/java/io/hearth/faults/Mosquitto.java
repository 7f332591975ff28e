package io.hearth.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Eclipse Mosquitto 2 as a child process on a free loopback port, with a password file (anonymous
 * clients refused). {@link #kill()} is SIGKILL (a crash); {@link #start()} again reuses the port
 * and the configuration of the moment ({@link #configure}: persistence on or off, packet limits).
 * Copied from the gateway module's e2e tests (test code is not shared between modules).
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
    this.port = Ports.freeTcp();
    try {
      Files.createDirectories(dir);
      Path passwords = dir.resolve("passwords");
      Files.writeString(passwords, users.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
          .collect(Collectors.joining("\n", "", "\n")));
      run(PASSWD.toString(), "-U", passwords.toString()); // hash the plain-text file in place
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    configure(false);
  }

  /** Skips the test when Mosquitto is not installed (.ci/run installs it with apt). */
  static void assumeInstalled() {
    Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(PASSWD),
        "Mosquitto is not installed (" + BINARY + ", " + PASSWD + "): apt-get install mosquitto");
  }

  /**
   * Writes the configuration the next {@link #start()} uses.
   *
   * @param persistence retained messages and sessions kept in {@code dir/db/} (saved by {@link #save()}
   *                    and at a clean stop; a kill loses what came after the last save)
   * @param extra       more lines, e.g. {@code max_packet_size 16384}
   */
  Mosquitto configure(boolean persistence, String... extra) {
    List<String> lines = new ArrayList<>(List.of(
        "listener " + port + " 127.0.0.1",
        "allow_anonymous false",
        "password_file " + dir.resolve("passwords"),
        "user root", // only used when run as root: keep access to the temp dir
        "log_type error",
        "log_type warning",
        "log_type notice",
        "log_dest stderr"));
    if (persistence) {
      lines.addAll(List.of("persistence true", "persistence_location " + dir.resolve("db") + "/",
          "autosave_interval 3600"));
    } else {
      lines.add("persistence false");
    }
    lines.addAll(List.of(extra));
    try {
      Files.createDirectories(dir.resolve("db"));
      Files.write(dir.resolve("mosquitto.conf"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
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
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("mosquitto exited with " + p.exitValue() + ": " + log());
      }
      return accepts();
    });
    return this;
  }

  /** Kills the broker at once (SIGKILL) and waits until it is gone. */
  synchronized void kill() {
    end(true);
  }

  /** Stops the broker cleanly (SIGTERM: it saves its persistence file) and waits until it is gone. */
  synchronized void stop() {
    end(false);
  }

  private void end(boolean force) {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    if (force) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("mosquitto did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes the persistence file now (SIGUSR1, persistence on) and waits until it is on disk, so a
   * later {@link #kill()} loses exactly what came after this call.
   */
  synchronized void save() {
    Path db = dir.resolve("db").resolve("mosquitto.db");
    long before = db.toFile().lastModified();
    signal("-USR1");
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> db.toFile().lastModified() != before && db.toFile().length() > 0);
  }

  /** SIGSTOP: the broker hangs (its sockets stay open, nothing is answered) until {@link #resume()}. */
  synchronized void pause() {
    signal("-STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  synchronized void resume() {
    signal("-CONT");
  }

  private void signal(String sig) {
    try {
      run("kill", sig, Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  boolean accepts() {
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
