package io.hearth.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web panel (docs/panel.md) in a real headless Chromium against the real gateway jar with
 * simulated devices, as a person uses it: pair, the home, a toggle and a slider, the lock's
 * confirmation, discovery, a guest's view, scenes and automations (ScenesAutomationsSteps), a
 * gateway restart; plus accessibility basics (every control labelled, a switch toggled from the
 * keyboard) and no CSP violation in the console.
 * The tests run in order on one gateway, each starting from what the one before left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PanelBrowserTest {
  private static final Map<String, String[]> HOME = new LinkedHashMap<>();

  static {
    HOME.put("lamp", new String[] {"light.dimmable", "living", "Living lamp"});
    HOME.put("plug", new String[] {"plug", "living", "TV plug"});
    HOME.put("curtain", new String[] {"curtain", "living", "Curtain"});
    HOME.put("thermostat", new String[] {"thermostat", "bedroom", "Thermostat"});
    HOME.put("climate", new String[] {"sensor.climate", "bedroom", "Bedroom climate"});
    HOME.put("lock", new String[] {"lock", "hall", "Front door lock"});
    HOME.put("door", new String[] {"sensor.contact", "hall", "Front door"});
  }

  private static final String FOUND_MAC = "5CCF7FD15C01";
  private static final String FOUND_ID = "tasmota_d15c01";

  private PanelGateway gw;
  private Simulator sim;
  private Browser owner;

  static String name(String id) {
    return HOME.get(id)[2];
  }

  @BeforeAll
  void start(@TempDir Path dir) {
    Browser.assumeInstalled();
    List<SimDeviceSpec> specs = HOME.entrySet().stream().map(e -> SimDeviceSpec.mqtt(e.getKey(), e.getValue()[0])
        .withCredentials(e.getKey(), "pw-" + e.getKey() + "-51f0").withReportIntervalMs(3_600_000)).toList();
    Map<String, String> rooms = HOME.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[1]));
    gw = new PanelGateway(dir.resolve("gateway"), specs, rooms).start();
    // a Tasmota plug nobody registered: it announces itself on the broker (anonymous, docs/discovery.md)
    SimDeviceSpec stranger = SimDeviceSpec.tasmota("found-plug", "plug", "tasmota_D15C01", FOUND_MAC)
        .withFirmware("discoveryDelayMs", 200);
    sim = Simulator.start(SimOptions.defaults(gw.mqttUrl()).withDefaultReportIntervalMs(3_600_000)
        .withStartTimeout(Duration.ofSeconds(30)), concat(specs, stranger));
    owner = new Browser();
  }

  private static List<SimDeviceSpec> concat(List<SimDeviceSpec> a, SimDeviceSpec b) {
    return java.util.stream.Stream.concat(a.stream(), java.util.stream.Stream.of(b)).toList();
  }

  @AfterAll
  void stop() throws Exception {
    try (AutoCloseable g = gw; AutoCloseable s = sim; AutoCloseable b = owner) {
      // closed in reverse order
    }
  }

  private String card(String id) {
    return "hearth-device-card[data-device='" + id + "']";
  }

  private WebElement control(Browser b, String id, String property) {
    return b.find("#ctl-" + id + "-" + property);
  }

  private void pair(Browser b, String code) {
    b.driver.get(gw.url() + "/");
    WebElement input = b.find("#pair-code");
    assertEquals("Code", b.find("label[for='pair-code']").getText());
    input.sendKeys(code);
    b.find("form.pair button[type=submit]").click();
    b.until(attributeToBe(By.id("conn"), "data-state", "live"));
  }

  @Test
  @Order(1)
  void pairsAndShowsTheHomeLive() {
    // GIVEN a wrong code THEN the page says why and stays on the pairing form
    owner.driver.get(gw.url() + "/");
    owner.screenshot("pair");
    owner.find("#pair-code").sendKeys("WRONG-CODE");
    owner.find("form.pair button[type=submit]").click();
    owner.until(textToBePresentInElementLocated(By.cssSelector("form.pair [role=alert]"), ""));
    owner.find("#pair-code").clear();

    // WHEN the owner pairs with the gateway's code
    pair(owner, PanelGateway.PAIRING_CODE);

    // THEN the home shows every device in its room, with its live state
    for (Map.Entry<String, String[]> e : HOME.entrySet()) {
      WebElement c = owner.find("section.room[aria-label='" + capitalised(e.getValue()[1]) + "'] " + card(e.getKey()));
      assertTrue(c.getText().contains(e.getValue()[2]), c::getText);
    }
    owner.until(d -> owner.all(".card.offline").isEmpty());
    owner.find(card("climate") + " .reading .value");
    owner.screenshot("home");
  }

  private static String capitalised(String room) {
    return Character.toUpperCase(room.charAt(0)) + room.substring(1);
  }

  @Test
  @Order(2)
  void togglesALightAndTheDeviceStateComesBack() {
    SimDevice lamp = sim.device("lamp");
    boolean before = Boolean.TRUE.equals(lamp.state().get("power"));
    WebElement power = control(owner, "lamp", "power");
    assertEquals(Boolean.toString(before), power.getAttribute("aria-checked"));

    // WHEN the owner clicks the switch THEN the device is switched and the page shows its report
    power.click();
    owner.until(attributeToBe(By.id("ctl-lamp-power"), "aria-checked", Boolean.toString(!before)));
    assertEquals(!before, lamp.state().get("power"));

    // AND from the keyboard (focus, Space) on another switch
    boolean plugBefore = Boolean.TRUE.equals(sim.device("plug").state().get("power"));
    control(owner, "plug", "power").sendKeys(Keys.SPACE);
    owner.until(attributeToBe(By.id("ctl-plug-power"), "aria-checked", Boolean.toString(!plugBefore)));
    assertEquals(!plugBefore, sim.device("plug").state().get("power"));
  }

  @Test
  @Order(3)
  void dragsASliderAndOnlyTheFinalValueIsSent() {
    SimDevice lamp = sim.device("lamp");
    int commandsBefore = lamp.commandsReceived();
    double endedBefore = commandsEnded();
    WebElement slider = control(owner, "lamp", "brightness");
    owner.js("window.hearthInputs = 0; arguments[0].addEventListener('input', () => window.hearthInputs++);", slider);

    // WHEN the slider is dragged in many steps and let go
    int width = slider.getSize().getWidth();
    Actions drag = new Actions(owner.driver).moveToElement(slider, -width / 2 + 4, 0).clickAndHold();
    for (int i = 0; i < 8; i++) {
      drag.moveByOffset(width / 12, 0);
    }
    drag.release().perform();

    // THEN the page saw many input events, the device got the value where it was let go, in one command
    long inputs = ((Number) owner.js("return window.hearthInputs;")).longValue();
    assertTrue(inputs > 2, "the drag moved the slider in steps: " + inputs);
    int released = Integer.parseInt(slider.getAttribute("value"));
    owner.until(d -> Integer.valueOf(released).equals(lamp.state().get("brightness")));
    owner.until(d -> commandsEnded() == endedBefore + 1);
    assertEquals(commandsBefore + 1, lamp.commandsReceived(), "commands the lamp received for one drag");
    owner.until(textToBePresentInElementLocated(By.cssSelector(card("lamp") + " output"), released + " %"));
  }

  private String token() {
    return (String) owner.js("return JSON.parse(localStorage.getItem('hearth.session')).accessToken;");
  }

  /** Commands the gateway ended this run, of every status, plus those in flight (GET /metrics). */
  private double commandsEnded() {
    HttpResponse<String> m = gw.get("/api/v1/metrics", "Authorization", "Bearer " + token());
    assertEquals(200, m.statusCode(), m::body);
    return m.body().lines().filter(l -> l.startsWith("hearth_commands_total{") || l.startsWith("hearth_commands_in_flight "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  @Order(4)
  void theLockAsksBeforeItActs() {
    SimDevice lock = sim.device("lock");
    int before = lock.commandsReceived();
    boolean locked = Boolean.TRUE.equals(lock.state().get("locked"));
    // WHEN the switch is pressed and the question cancelled THEN nothing is sent
    control(owner, "lock", "locked").click();
    owner.find("dialog.confirm[open] button:not(.primary)").click();
    owner.until(d -> owner.all("dialog.confirm[open]").isEmpty());
    assertEquals(before, lock.commandsReceived());
    // WHEN confirmed THEN the lock acts and the page shows it
    control(owner, "lock", "locked").click();
    owner.find("dialog.confirm[open] button.primary").click();
    owner.until(attributeToBe(By.id("ctl-lock-locked"), "aria-checked", Boolean.toString(!locked)));
    assertEquals(!locked, lock.state().get("locked"));
  }

  @Test
  @Order(5)
  void everyControlIsLabelled() {
    assertEquals(List.of(), owner.unlabelledControls());
    assertFalse(owner.all("input[type=range]").isEmpty());
  }

  @Test
  @Order(5)
  void fitsAPhoneScreen() {
    owner.atPhoneSize(() -> owner.screenshot("home-phone"));
  }

  @Test
  @Order(6)
  void devicePageShowsPropertiesCommandsAndHistory() {
    owner.driver.get(gw.url() + "/#/device/lamp");
    owner.until(textToBePresentInElementLocated(By.cssSelector("table.props"), "Brightness"));
    // the commands this page sent to the lamp, with their outcome
    owner.until(textToBePresentInElementLocated(By.cssSelector("ol.commands li.cmd"), "succeeded"));
    // the history route may or may not exist on this gateway: the page shows a chart or says so
    WebElement history = owner.find("[data-history]");
    assertTrue(history.getText().contains("History not available") || history.getTagName().equals("figure"),
        history::getText);
    owner.screenshot("device");
  }

  @Test
  @Order(7)
  void approvesADiscoveredDevice() {
    owner.driver.get(gw.url() + "/#/discovery");
    String form = "form[data-pending='" + FOUND_ID + "']";
    owner.until(d -> {
      if (owner.all(form).isEmpty()) {
        owner.find("main button[type=button]").click(); // Refresh until the announcement arrived
        return false;
      }
      return true;
    });
    owner.screenshot("discovery");
    WebElement name = owner.find("#ap-name-" + FOUND_ID);
    name.clear();
    name.sendKeys("Desk plug");
    owner.find("#ap-room-" + FOUND_ID).sendKeys("office");
    assertEquals("plug", new Select(owner.find("#ap-profile-" + FOUND_ID)).getFirstSelectedOption().getText());
    owner.find(form + " button[type=submit]").click();
    owner.until(textToBePresentInElementLocated(By.cssSelector(form + " [role=status]"), "Registered Desk plug"));

    owner.driver.get(gw.url() + "/#/home");
    WebElement c = owner.find("section.room[aria-label='Office'] " + card(FOUND_ID));
    assertTrue(c.getText().contains("Desk plug"), c::getText);
  }

  @Test
  @Order(8)
  void aGuestSeesOnlyTheSharedDevices() {
    // GIVEN the owner invites a guest to the lamp
    owner.driver.get(gw.url() + "/#/people");
    new Select(owner.find("#invite-role")).selectByValue("guest");
    owner.find("fieldset.devices input[value='lamp']").click();
    owner.find("form.invite button[type=submit]").click();
    String code = owner.find(".invite-code code.code").getText();
    owner.screenshot("people");

    // WHEN the guest pairs in another browser THEN it sees the lamp and nothing else
    try (Browser guest = new Browser()) {
      pair(guest, code);
      guest.find(card("lamp"));
      assertEquals(Set.of("lamp"), guest.all("hearth-device-card").stream().map(e -> e.getAttribute("data-device"))
          .collect(Collectors.toSet()));
      assertFalse(guest.find("#nav a[href='#/discovery']").isDisplayed(), "discovery is the owner's");
      assertFalse(guest.find("#nav a[href='#/automations']").isDisplayed(), "automations are the owner's and members'");
      // AND live changes of the shared device reach it
      boolean on = Boolean.TRUE.equals(sim.device("lamp").state().get("power"));
      sim.device("lamp").setState(Map.of("power", !on));
      guest.until(attributeToBe(By.id("ctl-lamp-power"), "aria-checked", Boolean.toString(!on)));
      assertTrue(guest.all(card("plug")).isEmpty());
      steps().aGuestSeesOnlyTheScenesOfItsDevices(guest);
    }
  }

  @Test
  @Order(9)
  void healthPageSummarisesTheGateway() {
    owner.driver.get(gw.url() + "/#/health");
    owner.until(textToBePresentInElementLocated(By.cssSelector("table.health"), "Devices online"));
    assertTrue(owner.find("table.health").getText().contains("Mqtt up"), owner.find("table.health")::getText);
    owner.screenshot("health");
  }

  private ScenesAutomationsSteps steps() {
    return new ScenesAutomationsSteps(gw, sim, owner, this::token);
  }

  @Test
  @Order(9)
  void scenesPageCapturesAndActivatesAScene() {
    steps().capturesAndActivatesAScene();
  }

  @Test
  @Order(9)
  void automationsPageDisablesAndRunsARule() {
    steps().disablesAndRunsAnAutomation();
  }

  @Test
  @Order(10)
  void recoversAfterTheGatewayRestarts() {
    owner.driver.get(gw.url() + "/#/home");
    owner.until(attributeToBe(By.id("conn"), "data-state", "live"));
    // WHEN the gateway stops THEN the page says it is reconnecting
    assertEquals(0, gw.stop());
    owner.until(attributeToBe(By.id("conn"), "data-state", "offline"));
    // WHEN it is back THEN the page is live again, resumed, and shows what devices report
    gw.start();
    owner.until(attributeToBe(By.id("conn"), "data-state", "live"));
    owner.until(d -> !owner.find(card("lamp")).getAttribute("class").contains("offline"));
    boolean on = Boolean.TRUE.equals(sim.device("lamp").state().get("power"));
    sim.device("lamp").setState(Map.of("power", !on));
    owner.until(d -> gw.get("/api/v1/devices/lamp", "Authorization", "Bearer " + token()).body()
        .contains("\"power\":" + !on));
    try {
      owner.until(attributeToBe(By.id("ctl-lamp-power"), "aria-checked", Boolean.toString(!on)));
    } catch (RuntimeException e) {
      throw new AssertionError(String.join("\n", owner.console()), e);
    }
    // AND a click still commands the lamp
    control(owner, "lamp", "power").click();
    owner.until(attributeToBe(By.id("ctl-lamp-power"), "aria-checked", Boolean.toString(on)));
  }

  @Test
  @Order(11)
  void noContentSecurityPolicyViolation() {
    List<String> console = owner.console();
    console.forEach(l -> System.out.println("console: " + l));
    assertEquals(List.of(), console.stream().filter(l -> l.contains("Content Security Policy") || l.contains("Uncaught"))
        .toList(), () -> String.join("\n", console));
  }

  @Test
  @Order(13)
  void refreshesAnExpiringTokenAndSignsOut() {
    // GIVEN the access token is about to expire (as after 15 minutes)
    owner.driver.get(gw.url() + "/#/home");
    owner.until(attributeToBe(By.id("conn"), "data-state", "live"));
    String before = (String) owner.js("const s = JSON.parse(localStorage.getItem('hearth.session'));"
        + "s.expiresAt = Date.now(); localStorage.setItem('hearth.session', JSON.stringify(s)); return s.refreshToken;");
    // WHEN the page loads again THEN it refreshes first (a new pair of tokens) and goes live
    owner.driver.navigate().refresh();
    owner.until(attributeToBe(By.id("conn"), "data-state", "live"));
    String after = (String) owner.js("return JSON.parse(localStorage.getItem('hearth.session')).refreshToken;");
    assertFalse(before.equals(after), "the refresh token was replaced");
    assertEquals(200, gw.get("/api/v1/devices", "Authorization", "Bearer " + token()).statusCode());
    // WHEN the owner signs out THEN the session is forgotten and the pairing form is back
    owner.find("#signout").click();
    owner.find("#pair-code");
    assertEquals(null, owner.js("return localStorage.getItem('hearth.session');"));
    assertFalse(owner.find("#nav").isDisplayed());
  }

  @Test
  @Order(12)
  void servesThePanelWithCachingAndSecurityHeaders() {
    HttpResponse<String> page = gw.get("/");
    assertEquals(200, page.statusCode());
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
    String etag = page.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, gw.get("/", "If-None-Match", etag).statusCode());
    HttpResponse<String> chart = gw.get("/webjars/uplot/1.6.30/dist/uPlot.esm.js");
    assertEquals(200, chart.statusCode());
    assertTrue(chart.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
    assertEquals(404, gw.get("/panel/../openapi/openapi.yaml").statusCode());
    JsonObject problem = new JsonObject(gw.get("/panel/nope.js").body());
    assertEquals("NOT_FOUND", problem.getString("code"));
  }
}
