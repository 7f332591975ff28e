package io.hearth.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GatewayProcess} started and driven from the benchmark: its {@code BENCH} lines come
 * back through {@link #await}, everything else it prints goes to a log file.
 */
final class ChildGateway implements AutoCloseable {
  private final Process process;
  private final PrintWriter stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final long launchedNanos;

  ChildGateway(List<String> jvmArgs, Path data, Path devices, int brokerPort, Path log) throws IOException {
    this(jvmArgs, data, devices, brokerPort, false, log);
  }

  /** @param external the broker on {@code brokerPort} runs outside (Mosquitto): no embedded broker */
  ChildGateway(List<String> jvmArgs, Path data, Path devices, int brokerPort, boolean external, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(GatewayProcess.class.getName());
    cmd.add(data.toString());
    cmd.add(devices.toString());
    cmd.add(BenchHome.profilesFolder().toString());
    cmd.add(String.valueOf(brokerPort));
    if (external) {
      cmd.add("external");
    }
    launchedNanos = System.nanoTime();
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8)); Writer w = Files.newBufferedWriter(log)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("BENCH ")) {
            lines.add(line.substring(6));
          }
          w.write(line);
          w.write('\n');
        }
      } catch (IOException e) {
        lines.add("error " + e.getMessage());
      }
      lines.add("exited");
    }, "bench-child-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next BENCH line starting with {@code prefix}, within {@code seconds}. */
  String await(String prefix, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || "exited".equals(line)) {
        throw new IllegalStateException("gateway process: no '" + prefix + "' line ("
            + (line == null ? "timeout" : "it exited") + "); see its log");
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  long launchedNanos() {
    return launchedNanos;
  }

  void send(String command) {
    stdin.println(command);
  }

  /** Ends the process at once. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      send("stop");
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (UncheckedIOException e) {
      process.destroyForcibly();
    }
  }
}
