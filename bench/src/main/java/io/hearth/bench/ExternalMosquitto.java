package io.hearth.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Eclipse Mosquitto as the external broker of the scale scenario's second run, so that the
 * gateway's own heap per device is measured without the embedded broker's: a child process on a
 * free loopback port, anonymous clients allowed (the bench's devices are ours), no persistence.
 * Only when {@code mosquitto} is installed ({@link #binary()}).
 */
final class ExternalMosquitto implements AutoCloseable {
  private static final Path[] CANDIDATES = {Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
      Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/local/bin/mosquitto")};

  private final Process process;
  private final int port;

  ExternalMosquitto(Path binary, Path dir, Path log) throws IOException {
    port = BenchHome.freePort();
    Files.createDirectories(dir);
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, String.join("\n",
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence false",
        "max_connections -1",
        "user root", // only used when run as root: keep access to the temp dir
        "log_type error",
        "log_type warning",
        "log_dest stderr",
        ""));
    process = new ProcessBuilder(binary.toString(), "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IOException("mosquitto did not open port " + port + "; see " + log);
      }
      LockSupport.parkNanos(50_000_000L); // poll the port again, bounded by the deadline
    }
  }

  /** The installed broker, if any. */
  static Optional<Path> binary() {
    for (Path p : CANDIDATES) {
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  int port() {
    return port;
  }

  /** The broker's resident memory in bytes (Linux), or -1. */
  long rssBytes() {
    return GatewayProcess.rss(Path.of("/proc/" + process.pid() + "/status"));
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
