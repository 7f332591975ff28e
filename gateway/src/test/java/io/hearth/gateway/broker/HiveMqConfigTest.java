package io.hearth.gateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The generated HiveMQ config.xml: valid against HiveMQ's own schema, carrying every option. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HiveMqConfigTest {

  @TempDir Path dataDir;

  @Test
  void configIsValidAgainstHiveMqSchema() throws Exception {
    String xml = HiveMqConfig.render(options("127.0.0.1"));
    URL xsd = com.hivemq.embedded.EmbeddedHiveMQ.class.getResource("/config.xsd");
    assertNotNull(xsd, "HiveMQ's config.xsd not on the class path");
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(xsd)
        .newValidator()
        .validate(new StreamSource(new StringReader(xml)));
  }

  @Test
  void configCarriesEveryOption() throws Exception {
    Document doc = parse(HiveMqConfig.render(options("127.0.0.1")));
    assertEquals("1884", xpath(doc, "/hivemq/listeners/tcp-listener/port"));
    assertEquals("127.0.0.1", xpath(doc, "/hivemq/listeners/tcp-listener/bind-address"));
    assertEquals("123", xpath(doc, "/hivemq/mqtt/queued-messages/max-queue-size"));
    assertEquals("discard-oldest", xpath(doc, "/hivemq/mqtt/queued-messages/strategy"));
    assertEquals("65536", xpath(doc, "/hivemq/mqtt/packets/max-packet-size"));
    assertEquals("3600", xpath(doc, "/hivemq/mqtt/session-expiry/max-interval"));
    assertEquals("60", xpath(doc, "/hivemq/mqtt/message-expiry/max-interval"));
    assertEquals("50", xpath(doc, "/hivemq/mqtt/receive-maximum/server-receive-maximum"));
    assertEquals("500", xpath(doc, "/hivemq/restrictions/max-connections"));
    assertEquals("64", xpath(doc, "/hivemq/restrictions/max-client-id-length"));
    assertEquals("128", xpath(doc, "/hivemq/restrictions/max-topic-length"));
    assertEquals("2000000", xpath(doc, "/hivemq/restrictions/incoming-bandwidth-throttling"));
    assertEquals("in-memory", xpath(doc, "/hivemq/persistence/mode"));
    assertEquals("false", xpath(doc, "/hivemq/anonymous-usage-statistics/enabled"));
  }

  @Test
  void filePersistenceOnRequest() throws Exception {
    Document doc = parse(HiveMqConfig.render(options("127.0.0.1").withPersistent(true)));
    assertEquals("file", xpath(doc, "/hivemq/persistence/mode"));
  }

  @Test
  void hostIsEscaped() throws Exception {
    Document doc = parse(HiveMqConfig.render(options("a<b&c")));
    assertEquals("a<b&c", xpath(doc, "/hivemq/listeners/tcp-listener/bind-address"));
  }

  @Test
  void prepareLaysOutFoldersUnderDataDir() throws Exception {
    HiveMqConfig.Folders folders = HiveMqConfig.prepare(options("127.0.0.1"));
    assertEquals(dataDir.resolve("broker/conf"), folders.conf());
    assertTrue(Files.isRegularFile(folders.conf().resolve("config.xml")));
    assertTrue(Files.isDirectory(folders.data()));
    try (var files = Files.list(folders.extensions())) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void badOptionsNameTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BrokerOptions.defaults("127.0.0.1", 70_000, false, dataDir));
    assertEquals("mqtt.embedded.port must be 1-65535, got 70000", e.getMessage());
  }

  private BrokerOptions options(String host) {
    return new BrokerOptions(host, 1884, false, dataDir, 500, 65_536, 10_000, 2_000_000, 123, 50,
        Duration.ofHours(1), Duration.ofMinutes(1), 128, 64);
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new InputSource(new StringReader(xml)));
  }

  private static String xpath(Document doc, String path) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(path, doc);
  }
}
