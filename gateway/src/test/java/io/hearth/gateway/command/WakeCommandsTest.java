package io.hearth.gateway.command;

import static io.hearth.gateway.command.CoreHarness.await;
import static io.hearth.gateway.command.CoreHarness.failure;
import static io.hearth.gateway.command.CoreHarness.set;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.PowerSource;
import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: {@code deliverWhen: nextWake} on the real {@link CommandService} (docs/api.md#commands):
 * a command for an asleep or offline device stays {@code pending} until the device is next heard
 * from, then goes out; it expires explicitly, is capped per device, and survives a restart without
 * ever being sent twice.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WakeCommandsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  /** At most 2 waiting per device, 1 h by default, 2 h at most. */
  private static final GatewayConfig.Commands CONFIG = new GatewayConfig.Commands(5000, 60000, 10000, 3_600_000,
      7_200_000, 2);
  private CoreHarness h;

  @BeforeEach
  void setUp(Vertx vertx) {
    h = new CoreHarness(vertx, CONFIG);
    // a battery Zigbee2MQTT radiator valve next to the harness's mains devices
    DeviceDefinition trv = new DeviceDefinition("trv", null, null, "thermostat", new MqttBinding("zigbee2mqtt", "trv",
        null), PowerSource.BATTERY, null);
    h.on(() -> h.registry.add(trv));
    h.run(() -> h.states.track("trv", null));
  }

  private static CommandRequest nextWake(Map<String, Object> set, Integer expiresInMs, boolean wait) {
    return new CommandRequest(set, null, null, null, wait, "nextWake", expiresInMs);
  }

  private static String idOf(CommandAnswer a) {
    return (String) a.body().getMap().get("commandId");
  }

  private CommandStatus status(String device, String cid) {
    return h.find(device, cid).status();
  }

  @Test
  void anOfflineDeviceGetsTheCommandWhenItIsNextHeardFrom() {
    // GIVEN a Zigbee2MQTT bulb known offline
    h.offline("hall", "timeout");
    // (without deliverWhen: refused as before)
    assertEquals(ErrorCode.DEVICE_OFFLINE, failure(h.submit("hall", set(Map.of("power", true)))).code());

    // WHEN a nextWake command is sent, even with wait:true
    CommandAnswer a = await(h.submit("hall", nextWake(Map.of("power", true), null, true)));

    // THEN it is accepted at once and pending, visible on the device, and nothing is sent
    assertEquals(202, a.httpStatus());
    assertEquals("pending", a.body().getString("status"));
    String cid = idOf(a);
    assertEquals(CommandStatus.PENDING, status("hall", cid));
    assertEquals(CommandStatus.PENDING, h.memory.commands.get(cid).status());
    assertEquals(Map.of("power", true), h.view("hall").pending());
    assertTrue(h.mqtt.sent.isEmpty());

    // WHEN the bulb reports something
    h.report("hall", Map.of("brightness", 10));
    // THEN the command goes out, stored as sent first (a restart must not send it again)
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 1);
    assertEquals(cid, h.mqtt.sent.get(0).cid());
    assertEquals(CommandStatus.SENT, h.memory.commands.get(cid).status());

    // WHEN its next report shows the value, THEN it succeeded
    h.report("hall", Map.of("power", true));
    assertEquals(CommandStatus.SUCCEEDED, status("hall", cid));
    assertEquals(List.of("sent", "succeeded"), h.commandEvents(cid));
    assertEquals(Map.of(), h.view("hall").pending());
  }

  @Test
  void aBatteryDeviceWaitsForItsNextMessageEvenWhenOnline() {
    // GIVEN a battery valve that just reported (online)
    h.report("trv", Map.of("current_temp", 20.5));
    assertTrue(h.view("trv").online());

    // WHEN a nextWake command is sent
    String cid = idOf(await(h.submit("trv", nextWake(Map.of("target_temp", 21.5), null, false))));

    // THEN it waits; a command without deliverWhen goes out at once, as before
    String now = idOf(await(h.submit("trv", set(Map.of("mode", "heat"), null, false))));
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 1);
    assertEquals(now, h.mqtt.sent.get(0).cid());
    assertEquals(CommandStatus.PENDING, status("trv", cid));

    // WHEN the valve wakes up (any message), THEN the waiting command goes out
    h.heard("trv");
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 2);
    assertEquals(cid, h.mqtt.sent.get(1).cid());
    h.report("trv", Map.of("target_temp", 21.5, "mode", "heat"));
    assertEquals(CommandStatus.SUCCEEDED, status("trv", cid));
  }

  @Test
  void anOnlineMainsDeviceGetsANextWakeCommandAtOnce() {
    h.report("lamp", Map.of("power", false));
    var answer = h.submit("lamp", nextWake(Map.of("power", true), null, true));
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 1);
    String cid = h.mqtt.sent.get(0).cid();
    h.reply("lamp", cid, true, null);
    assertEquals(200, await(answer).httpStatus());
    await().atMost(WAIT).until(() -> h.memory.commands.get(cid).status() == CommandStatus.SUCCEEDED);
  }

  @Test
  void aCommandNotDeliveredBeforeItsExpiryFailsExplicitlyAndIsNeverSent() {
    h.offline("lamp", "lwt");
    String cid = idOf(await(h.submit("lamp", nextWake(Map.of("power", true), 300, false))));

    await().atMost(WAIT).until(() -> status("lamp", cid) == CommandStatus.FAILED);
    CommandRecord r = h.find("lamp", cid);
    assertTrue(r.error().contains("expiresInMs") && r.error().contains("never sent"), r.error());
    assertEquals(List.of("failed"), h.commandEvents(cid));
    assertEquals(Map.of(), h.view("lamp").pending());
    await().atMost(WAIT).until(() -> h.memory.commands.get(cid).status() == CommandStatus.FAILED);

    // the device coming back later does not get it
    h.heard("lamp");
    h.report("lamp", Map.of("power", false));
    assertTrue(h.mqtt.sent.isEmpty());
  }

  @Test
  void thereIsACapOnCommandsWaitingForOneDevice() {
    h.offline("lamp", "lwt");
    String first = idOf(await(h.submit("lamp", nextWake(Map.of("power", true), null, false))));
    String second = idOf(await(h.submit("lamp", nextWake(Map.of("brightness", 40), null, false))));

    ApiException e = failure(h.submit("lamp", nextWake(Map.of("brightness", 50), null, false)));
    assertEquals(ErrorCode.TOO_MANY_WAITING, e.code());
    assertEquals(409, e.code().status());
    assertEquals(2, h.memory.commands.size(), "the refused one is not recorded");

    // once the device is heard, both go out in the order they were accepted, and there is room again
    h.heard("lamp");
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 2);
    assertEquals(List.of(first, second), h.mqtt.sentIds());
    h.offline("lamp", "lwt");
    await(h.submit("lamp", nextWake(Map.of("brightness", 50), null, false)));
  }

  @Test
  void optionsAreChecked() {
    ApiException noWake = failure(h.submit("lamp", new CommandRequest(Map.of("power", true), null, null, null, false,
        null, 1000)));
    assertEquals(List.of("expiresInMs"), noWake.errors().stream().map(FieldError::property).toList());
    ApiException unknown = failure(h.submit("lamp", new CommandRequest(Map.of("power", true), null, null, null,
        false, "later", null)));
    assertEquals(List.of("deliverWhen"), unknown.errors().stream().map(FieldError::property).toList());
    ApiException tooLong = failure(h.submit("lamp", nextWake(Map.of("power", true), 7_200_001, false)));
    assertEquals(List.of("expiresInMs"), tooLong.errors().stream().map(FieldError::property).toList());
    assertTrue(h.memory.commands.isEmpty());
  }

  @Test
  void aWaitingCommandTakesTheTransportBeingDownToo() {
    h.mqtt.up = false;
    assertEquals(ErrorCode.DEVICE_OFFLINE, failure(h.submit("lamp", set(Map.of("power", true)))).code());
    String cid = idOf(await(h.submit("lamp", nextWake(Map.of("power", true), null, false))));
    h.heard("lamp"); // cannot go out while the transport is down: it keeps waiting
    assertEquals(CommandStatus.PENDING, status("lamp", cid));
    h.mqtt.up = true;
    h.heard("lamp");
    await().atMost(WAIT).until(() -> h.mqtt.sentIds().equals(List.of(cid)));
  }

  @Test
  void aWaitingCommandSurvivesARestartAndGoesOutOnceTheDeviceWakes() {
    // GIVEN a command waiting for an offline lamp
    h.offline("lamp", "lwt");
    String cid = idOf(await(h.submit("lamp", nextWake(Map.of("power", true), null, false))));

    // WHEN the gateway stops and starts again
    h.on(h.service::shutdown);
    assertEquals(CommandStatus.PENDING, h.memory.commands.get(cid).status(), "stays pending across the stop");
    CommandService stopped = h.service;
    h.heard("lamp"); // a message while the gateway stops does not send it: it still waits
    assertTrue(h.get(() -> stopped.waitsUntil(cid)) != null);
    assertTrue(h.mqtt.sent.isEmpty());
    h.run(() -> h.states.track("lamp", null));
    h.service = h.newService(h.mqtt, h.coap);
    assertEquals(0, h.on(h.service::recover), "nothing failed");
    h.run(h.service::resumeWaiting);

    // THEN it is pending again, visible on the device, and goes out when the lamp is next heard from
    assertEquals(CommandStatus.PENDING, status("lamp", cid));
    assertEquals(Map.of("power", true), h.view("lamp").pending());
    assertTrue(h.mqtt.sent.isEmpty());
    h.heard("lamp");
    await().atMost(WAIT).until(() -> h.mqtt.sentIds().equals(List.of(cid)));
    h.reply("lamp", cid, true, null);
    assertEquals(CommandStatus.SUCCEEDED, status("lamp", cid));
  }

  @Test
  void aRestartAfterTheExpiryEndsTheCommandExpired() {
    h.offline("lamp", "lwt");
    String cid = idOf(await(h.submit("lamp", nextWake(Map.of("power", true), 60_000, false))));
    h.on(h.service::shutdown);

    h.clock.advance(Duration.ofMinutes(2));
    h.service = h.newService(h.mqtt, h.coap);
    assertEquals(1, h.on(h.service::recover));

    CommandRecord r = h.find("lamp", cid);
    assertEquals(CommandStatus.FAILED, r.status());
    assertTrue(r.error().contains("expiresInMs"), r.error());
    h.heard("lamp");
    assertTrue(h.mqtt.sent.isEmpty());
  }

  @Test
  void aCommandThatWentOutIsNeverSentAgainAfterACrash() {
    h.offline("lamp", "lwt");
    String cid = idOf(await(h.submit("lamp", nextWake(Map.of("power", true), null, false))));
    h.heard("lamp");
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 1);
    await().atMost(WAIT).until(() -> h.memory.commands.get(cid).status() == CommandStatus.SENT);

    // WHEN the gateway crashes before the reply (no shutdown) and starts again
    h.service = h.newService(h.mqtt, h.coap);
    assertEquals(1, h.on(h.service::recover));

    // THEN the command ended unknown (it went out) and the wake-up does not send it again
    assertEquals(CommandStatus.UNKNOWN, h.memory.commands.get(cid).status());
    h.heard("lamp");
    assertEquals(1, h.mqtt.sent.size());
  }

  @Test
  void removingTheDeviceEndsItsWaitingCommands() {
    h.offline("lamp", "lwt");
    String cid = idOf(await(h.submit("lamp", nextWake(Map.of("power", true), null, false))));
    h.run(() -> h.service.deviceRemoved("lamp"));
    await().atMost(WAIT).until(() -> h.memory.commands.get(cid).status() == CommandStatus.FAILED);
    assertEquals(0, h.get(h.service::inFlightCount));
  }
}
