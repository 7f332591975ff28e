package io.hearth.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void tlsIsOnByDefaultAndNeedsACertificate() {
    RelayConfigException e = assertThrows(RelayConfigException.class, () -> new RelayConfigLoader(Map.of()).load(null));
    assertTrue(e.getMessage().contains("tls.keyStore"), e.getMessage());
    RelayConfig dev = new RelayConfigLoader(Map.of("HEARTH_RELAY_TLS_DEV_SELF_SIGNED", "true")).load(null);
    assertTrue(dev.tls().enabled());
    assertEquals(8443, dev.http().port());
    assertEquals(70_000, dev.tunnel().requestTimeoutMs());
  }

  @Test
  void fileThenEnvironmentBothSpellingsOfAKey() throws Exception {
    Path f = dir.resolve("relay.yaml");
    Files.writeString(f, "tls: { enabled: false }\ntunnel: { maxRequestsPerHub: 8 }\nwechat: { appId: wx1 }\n");
    RelayConfig c = new RelayConfigLoader(Map.of("HEARTH_RELAY_TUNNEL_MAXSTREAMSPERHUB", "9",
        "HEARTH_RELAY_WECHAT_SECRET", "s3cret")).load(f);
    assertEquals(8, c.tunnel().maxRequestsPerHub());
    assertEquals(9, c.tunnel().maxStreamsPerHub());
    assertEquals("wx1", c.wechat().appId());
    assertFalse(c.wechat().toString().contains("s3cret"), "the secret is never printed");
  }

  @Test
  void badKeysAreNamed() throws Exception {
    Path f = dir.resolve("relay.yaml");
    Files.writeString(f, "tls: { enabled: false }\ntunel: {}\n");
    assertTrue(assertThrows(RelayConfigException.class, () -> new RelayConfigLoader(Map.of()).load(f)).getMessage()
        .contains("unknown config key 'tunel'"));
    Map<String, String> env = Map.of("HEARTH_RELAY_TLS_ENABLED", "false", "HEARTH_RELAY_HTTP_PORT", "70000");
    assertTrue(assertThrows(RelayConfigException.class, () -> new RelayConfigLoader(env).load(null)).getMessage()
        .contains("'http.port' must be between 0 and 65535"));
    Map<String, String> url = Map.of("HEARTH_RELAY_TLS_ENABLED", "false", "HEARTH_RELAY_WECHAT_API_BASE", "ftp://x");
    assertTrue(assertThrows(RelayConfigException.class, () -> new RelayConfigLoader(url).load(null)).getMessage()
        .contains("wechat.apiBase"));
  }
}
