package io.hearth.panel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver (never a downloaded browser): the
 * paths come from {@code hearth.panel.chromium} and {@code hearth.panel.chromedriver}. Waits are
 * explicit, with a deadline ({@link #until}); the console is kept to check for CSP violations.
 */
final class Browser implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  private final WebDriverWait wait;

  /** Skips the test (visibly) where Chromium or its driver is not installed; .ci/run installs both. */
  static void assumeInstalled() {
    for (String p : List.of(System.getProperty("hearth.panel.chromium", "/usr/bin/chromium"),
        System.getProperty("hearth.panel.chromedriver", "/usr/bin/chromedriver"))) {
      Assumptions.assumeTrue(Files.isExecutable(Path.of(p)),
          p + " is not installed (apt-get install chromium chromium-driver): browser tests skipped");
    }
  }

  Browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("hearth.panel.chromium", "/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--window-size=1280,1000", "--lang=en-US");
    options.setAcceptInsecureCerts(true); // the gateway's self-signed certificate (PanelTlsTest)
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(System.getProperty("hearth.panel.chromedriver", "/usr/bin/chromedriver")))
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
  }

  <T> T until(ExpectedCondition<T> condition) {
    return wait.until(condition);
  }

  WebElement find(String css) {
    return until(d -> d.findElement(By.cssSelector(css)));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** At a phone's size (390 × 844): waits until the page does not scroll sideways, then runs {@code then}. */
  void atPhoneSize(Runnable then) {
    Dimension desktop = driver.manage().window().getSize();
    try {
      driver.manage().window().setSize(new Dimension(390, 844));
      until(d -> ((Number) js("return document.documentElement.scrollWidth - window.innerWidth;")).intValue() <= 0);
      then.run();
    } finally {
      driver.manage().window().setSize(desktop);
    }
  }

  /** The inputs, selects and buttons of the page with no label, aria-label or text (their HTML). */
  @SuppressWarnings("unchecked")
  List<String> unlabelledControls() {
    return (List<String>) js("return [...document.querySelectorAll('input, select, button')]"
        + ".filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())"
        + ".map(el => el.outerHTML);");
  }

  /** Console lines (errors, CSP reports) since the last call. */
  List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
        .collect(Collectors.toList());
  }

  /** Writes a PNG of the page into {@code hearth.panel.screenshots}, when that property names a folder. */
  void screenshot(String name) {
    String dir = System.getProperty("hearth.panel.screenshots", "");
    if (dir.isBlank()) {
      return;
    }
    try {
      Path out = Path.of(dir).resolve(name + ".png");
      Files.createDirectories(out.getParent());
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
