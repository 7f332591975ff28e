package io.hearth.adapter.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real HiveMQ CE broker on 127.0.0.1 and a random free port, which can be stopped and restarted. */
final class TestBroker implements AutoCloseable {

  private final Path dir;
  private final int port;
  private EmbeddedHiveMQ hivemq;

  TestBroker(Path dir) throws IOException {
    this.dir = dir;
    this.port = freePort();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("extensions"));
    Files.writeString(conf.resolve("config.xml"), "<hivemq><listeners><tcp-listener><port>" + port
        + "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>"
        + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics></hivemq>");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  TestBroker start() throws Exception {
    hivemq = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(dir.resolve("conf"))
        .withDataFolder(dir.resolve("data"))
        .withExtensionsFolder(dir.resolve("extensions"))
        .withoutLoggingBootstrap()
        .build();
    hivemq.start().get(60, TimeUnit.SECONDS);
    return this;
  }

  void stop() throws Exception {
    if (hivemq != null) {
      hivemq.stop().get(60, TimeUnit.SECONDS);
      hivemq.close();
      hivemq = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
