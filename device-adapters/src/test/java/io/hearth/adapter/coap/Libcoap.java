package io.hearth.adapter.coap;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** libcoap's example binaries (Debian's libcoap3-bin) as a third-party peer in tests. */
public final class Libcoap implements AutoCloseable {
  private final Process process;

  private Libcoap(Process process) {
    this.process = process;
  }

  /** The first of the names found on the PATH. */
  public static Optional<String> find(String... names) {
    for (String name : names) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return Optional.of(f.getAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  public static Optional<String> server() {
    return find("coap-server", "coap-server-notls", "coap-server-openssl", "coap-server-gnutls");
  }

  public static Optional<String> dtlsServer() {
    return find("coap-server-openssl", "coap-server-gnutls");
  }

  public static Optional<String> client() {
    return find("coap-client", "coap-client-notls", "coap-client-openssl", "coap-client-gnutls");
  }

  /** Starts a server process with these arguments. */
  public static Libcoap start(List<String> command) throws IOException {
    return new Libcoap(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
  }

  /** Runs coap-client with these arguments; returns its output (bounded to 10 s). */
  public static String client(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(client().orElseThrow());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("coap-client did not finish");
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** A UDP port free now, whose successor is free too (libcoap's DTLS listens on port + 1). */
  public static int freeUdpPortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        int port = a.getLocalPort();
        if (port < 65535) {
          try (DatagramSocket b = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
            return port;
          } catch (IOException taken) {
            // try another
          }
        }
      }
    }
    throw new IOException("no free UDP port pair");
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
