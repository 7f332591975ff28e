package io.hearth.sim;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real HiveMQ CE broker on a random loopback port, for tests and the scale benchmark. */
public final class EmbeddedBroker implements AutoCloseable {

  private final Path dir;
  private final EmbeddedHiveMQ hivemq;
  private final int port;

  private EmbeddedBroker(Path dir, EmbeddedHiveMQ hivemq, int port) {
    this.dir = dir;
    this.hivemq = hivemq;
    this.port = port;
  }

  public static EmbeddedBroker start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return start(port);
  }

  public static EmbeddedBroker start(int port) throws IOException {
    Path dir = Files.createTempDirectory("hivemq-sim-test");
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path ext = Files.createDirectories(dir.resolve("extensions"));
    Files.writeString(conf.resolve("config.xml"), "<hivemq><listeners><tcp-listener><port>" + port
        + "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>"
        + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics></hivemq>");
    EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
        .withExtensionsFolder(ext).build();
    hivemq.start().join();
    return new EmbeddedBroker(dir, hivemq, port);
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException {
    try {
      hivemq.stop().join();
      hivemq.close();
    } catch (Exception e) {
      throw new IOException("broker did not stop cleanly", e);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
