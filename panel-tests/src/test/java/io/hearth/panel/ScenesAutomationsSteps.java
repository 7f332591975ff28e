package io.hearth.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import io.hearth.sim.SimDevice;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The scenes and automations pages (docs/panel.md) as the owner uses them, run by {@link
 * PanelBrowserTest} on its gateway, devices and signed-in browser (kept apart so each file stays
 * small).
 */
final class ScenesAutomationsSteps {
  private final PanelGateway gw;
  private final Simulator sim;
  private final Browser owner;
  private final Supplier<String> token;

  ScenesAutomationsSteps(PanelGateway gw, Simulator sim, Browser owner, Supplier<String> token) {
    this.gw = gw;
    this.sim = sim;
    this.owner = owner;
    this.token = token;
  }

  private String apiGet(String path) {
    HttpResponse<String> r = gw.get("/api/v1" + path, "Authorization", "Bearer " + token.get());
    assertEquals(200, r.statusCode(), r::body);
    return r.body();
  }

  /** Captures the lamp into a scene, changes the lamp, activates the scene: the lamp goes back, the page says so. */
  void capturesAndActivatesAScene() {
    SimDevice lamp = sim.device("lamp");
    boolean on = Boolean.TRUE.equals(lamp.state().get("power"));
    // the gateway knows the lamp's current power before it is captured
    owner.until(d -> apiGet("/devices/lamp").contains("\"power\":" + on));

    // WHEN the owner saves a scene from the lamp's current state
    owner.driver.get(gw.url() + "/#/scenes");
    owner.find("#scene-name").sendKeys("Reading");
    owner.find("form.capture input[value='lamp']").click();
    owner.find("form.capture button[type=submit]").click();
    String card = "section.scene[aria-label='Reading']";
    // the page re-renders the list on the scene_created event: read the card afresh until it holds
    String id = owner.until(d -> {
      try {
        return d.findElement(By.cssSelector(card)).getAttribute("data-scene");
      } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
        return null;
      }
    });
    JsonObject saved = new JsonObject(apiGet("/scenes/" + id));
    assertEquals(on, saved.getJsonObject("targets").getJsonObject("lamp").getBoolean("power"), saved::encode);

    // AND the lamp is switched the other way on the device
    lamp.setState(Map.of("power", !on));
    owner.until(d -> apiGet("/devices/lamp").contains("\"power\":" + !on));

    // THEN activating the scene switches it back, and the page shows the lamp's outcome
    owner.find(card + " button[aria-label='Activate Reading']").click();
    owner.until(textToBePresentInElementLocated(By.cssSelector(card + " .activation [role=status]"), "succeeded"));
    WebElement outcome = owner.find(card + " .activation li[data-device='lamp']");
    assertTrue(outcome.getText().contains("Living lamp: succeeded"), outcome::getText);
    owner.until(d -> Boolean.valueOf(on).equals(lamp.state().get("power")));
    owner.screenshot("scenes");
    assertEquals(List.of(), owner.unlabelledControls());

    // AND a deleted scene is gone from the page and the API
    owner.find(card + " button[aria-label='Delete Reading']").click();
    owner.find("dialog.confirm[open] button.primary").click();
    owner.until(d -> owner.all(card).isEmpty());
    assertEquals(404, gw.get("/api/v1/scenes/" + id, "Authorization", "Bearer " + token.get()).statusCode());
  }

  /** Scenes over the lamp and over the plug: a guest of the lamp lists and activates only the lamp's, and saves none. */
  void aGuestSeesOnlyTheScenesOfItsDevices(Browser guest) {
    for (String device : new String[] {"lamp", "plug"}) {
      JsonObject scene = new JsonObject().put("id", "guest-" + device).put("name", "Guest " + device)
          .put("capture", new JsonArray().add(device));
      HttpResponse<String> r = gw.post("/api/v1/scenes", scene, "Authorization", "Bearer " + token.get());
      assertEquals(201, r.statusCode(), r::body);
    }
    guest.driver.get(gw.url() + "/#/scenes");
    String lampScene = "section.scene[data-scene='guest-lamp']";
    guest.find(lampScene + " button[aria-label='Activate Guest lamp']").click();
    guest.until(textToBePresentInElementLocated(By.cssSelector(lampScene + " .activation [role=status]"), "succeeded"));
    assertTrue(guest.all("section.scene[data-scene='guest-plug']").isEmpty(), "the plug is not shared with the guest");
    assertTrue(guest.all("form.capture").isEmpty() && guest.all(lampScene + " button[aria-label^='Delete']").isEmpty(),
        "a guest manages no scene");
  }

  /** A rule made through the API is disabled from the page, refused a run, enabled, run: its run and step show. */
  void disablesAndRunsAnAutomation() {
    SimDevice plug = sim.device("plug");
    boolean on = Boolean.TRUE.equals(plug.state().get("power"));
    JsonObject rule = new JsonObject().put("id", "plug-flip").put("alias", "Flip the TV plug")
        .put("triggers", new JsonArray().add(new JsonObject().put("trigger", "state").put("device", "door")
            .put("property", "open").put("to", true)))
        .put("actions", new JsonArray().add(new JsonObject().put("command", new JsonObject()
            .put("device", "plug").put("set", new JsonObject().put("power", !on)))));
    HttpResponse<String> created = gw.post("/api/v1/automations", rule, "Authorization", "Bearer " + token.get());
    assertEquals(201, created.statusCode(), created::body);

    owner.driver.get(gw.url() + "/#/automations");
    String card = "section.automation[data-automation='plug-flip']";
    owner.find(card + " details.rule summary").click();
    assertTrue(owner.find(card + " details.rule pre").getText().contains("\"device\": \"plug\""));
    owner.find(card + " details.rule summary").click(); // folded again, for the runs below
    // WHEN the owner disables it THEN the switch and the gateway say so
    owner.find("#auto-enabled-plug-flip").click();
    owner.until(attributeToBe(By.id("auto-enabled-plug-flip"), "aria-checked", "false"));
    assertEquals(false, new JsonObject(apiGet("/automations/plug-flip")).getBoolean("enabled"));
    // AND a run asked for while disabled is refused, with the gateway's reason
    WebElement runNow = owner.find(card + " button[aria-label='Run Flip the TV plug now']");
    runNow.click();
    owner.find(card + " .message [role=alert]");
    assertEquals(on, Boolean.TRUE.equals(plug.state().get("power")), "a disabled rule sent nothing");

    // WHEN it is enabled again and run from the page THEN the run appears, succeeded, with its command step
    owner.find("#auto-enabled-plug-flip").click();
    owner.until(attributeToBe(By.id("auto-enabled-plug-flip"), "aria-checked", "true"));
    runNow.click();
    owner.until(textToBePresentInElementLocated(By.cssSelector(card + " .runs li.run"), "succeeded"));
    WebElement step = owner.find(card + " .runs li.run .steps li");
    assertTrue(step.getText().contains("command: succeeded"), step::getText);
    owner.until(d -> Boolean.valueOf(!on).equals(plug.state().get("power")));
    owner.screenshot("automations");
    assertEquals(List.of(), owner.unlabelledControls());

    // AND at a phone's width the page, rule and runs open, does not scroll sideways
    owner.atPhoneSize(() -> { });
  }
}
