package io.hearth.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A jar run as users run it: {@code java [flags] -jar JAR [args]} in its own JVM, from a folder, with
 * the caller's environment minus every {@code HEARTH_*} variable plus the given ones, its output in a
 * log file. {@link #awaitLine} waits for a line such as the ready line (never a sleep); a process
 * that exits first fails the wait with its output. Used by {@link GatewayProcess}, by the
 * run-from-anywhere tests and by the packaging module (its test-jar).
 */
public final class JarProcess implements AutoCloseable {
  /** The flags the fault tests give every JVM they start (a small heap, a fast start). */
  public static final List<String> TEST_FLAGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
      "-Djava.net.preferIPv4Stack=true");

  private final Process process;
  private final Path log;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The {@code java} of the JVM running the tests. */
  public static Path testJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * Starts {@code java flags -jar jar args} in {@code dir}; output (stdout and stderr) to {@code log}.
   *
   * @param env {@code HEARTH_*} (and other) variables on top of the caller's, whose own
   *            {@code HEARTH_*} are removed
   */
  public static JarProcess start(Path java, List<String> flags, Path jar, List<String> args, Path dir,
      Map<String, String> env, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(flags);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEARTH_"));
    pb.environment().putAll(env);
    try {
      return new JarProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the first output line containing {@code text} and returns it. */
  public String awaitLine(String text, Duration deadline) {
    return await().atMost(deadline).pollInterval(Duration.ofMillis(50)).until(() -> {
      String line = log().lines().filter(l -> l.contains(text)).findFirst().orElse(null);
      if (line == null && !process.isAlive()) {
        throw new IllegalStateException("exited with " + process.exitValue() + " before '" + text + "': " + log());
      }
      return line;
    }, line -> line != null);
  }

  /** SIGTERM, then the exit status (within {@code deadline}, else SIGKILL and an AssertionError). */
  public int sigterm(Duration deadline) {
    process.destroy();
    return waitFor(deadline);
  }

  /** SIGKILL, then the exit status. */
  public int kill(Duration deadline) {
    process.destroyForcibly();
    return waitFor(deadline);
  }

  private int waitFor(Duration deadline) {
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("process did not exit within " + deadline);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the process wrote so far. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill(Duration.ofSeconds(20));
    }
  }
}
