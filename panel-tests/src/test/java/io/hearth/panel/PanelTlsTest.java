package io.hearth.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The panel over the gateway's TLS (docs/security.md, HTTPS and WSS): the page, its modules and
 * the live socket (wss:, allowed by the policy's connect-src 'self') all work on https://.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PanelTlsTest {
  @Test
  void pairsAndGoesLiveOverHttps(@TempDir Path dir) throws Exception {
    Browser.assumeInstalled();
    try (PanelGateway gw = new PanelGateway(dir, List.of(), Map.of(), true).start(); Browser b = new Browser()) {
      assertTrue(gw.url().startsWith("https://"), gw.url());
      b.driver.get(gw.url() + "/");
      b.find("#pair-code").sendKeys(PanelGateway.PAIRING_CODE);
      b.find("form.pair button[type=submit]").click();
      b.until(attributeToBe(By.id("conn"), "data-state", "live"));
      b.until(textToBePresentInElementLocated(By.cssSelector("main"), "No devices yet."));
      assertEquals("https:", b.js("return location.protocol;"));
      assertEquals(List.of(), b.console().stream().filter(l -> l.contains("Content Security Policy")).toList());
    }
  }
}
