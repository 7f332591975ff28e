package io.hearth.gateway.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.StateReport;
import io.hearth.device.Profile;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.hearth.gateway.store.HistoryPoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: {@link DeviceStates} — merge, version, events, garbage, availability and pending values. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeviceStatesTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static Profile light;
  private static Profile thermostat;

  private final List<GatewayEvent> events = new ArrayList<>();
  private final List<DeviceStateSnapshot> persisted = new ArrayList<>();
  private final List<HistoryPoint> history = new ArrayList<>();
  private EventHub hub;
  private DeviceStates states;

  @BeforeAll
  static void loadProfiles() {
    Map<String, Profile> p = ProfileLoader.loadFolder(Path.of("../config/profiles"));
    light = p.get("light.dimmable");
    thermostat = p.get("thermostat");
  }

  @BeforeEach
  void setUp() {
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    hub = new EventHub(clock, 100);
    hub.addListener(events::add);
    states = new DeviceStates(clock, hub, persisted::add, history::add);
    states.track("lamp", null);
    states.track("heat", null);
  }

  private static StateReport report(String id, Map<String, Object> props, int secondsAfterT0) {
    return new StateReport(id, props, T0.plusSeconds(secondsAfterT0), false);
  }

  private static StateReport retained(String id, Map<String, Object> props) {
    return new StateReport(id, props, T0, true);
  }

  private DeviceView view(String id) {
    return states.view(id).orElseThrow();
  }

  private List<GatewayEvent> eventsOf(String kind) {
    return events.stream().filter(e -> e.kind().equals(kind)).toList();
  }

  // ---- merge, version, events

  @Test
  void reportMergesAndBumpsVersionOncePerChangingReport() {
    // WHEN a first report with two properties, then a partial one
    Map<String, Object> first = states.applyReport(report("lamp", Map.of("power", true, "brightness", 40), 1), light);
    Map<String, Object> second = states.applyReport(report("lamp", Map.of("brightness", 60), 2), light);

    // THEN the state is merged, the version grew by exactly one per report
    assertEquals(Map.of("power", true, "brightness", 40L), first);
    assertEquals(Map.of("brightness", 60L), second);
    DeviceView v = view("lamp");
    assertEquals(Map.of("power", true, "brightness", 60L), v.state());
    assertEquals(2, v.version());
    // AND updatedAt moved only for what changed
    assertEquals(T0.plusSeconds(1), v.updatedAt().get("power"));
    assertEquals(T0.plusSeconds(2), v.updatedAt().get("brightness"));
    assertEquals(T0.plusSeconds(2), v.lastSeen());
    // AND each state event carries exactly its changes and the new version
    List<GatewayEvent> state = eventsOf(GatewayEvent.STATE);
    assertEquals(2, state.size());
    assertEquals(Map.of("changes", Map.of("power", true, "brightness", 40L), "version", 1L), state.get(0).data());
    assertEquals(Map.of("changes", Map.of("brightness", 60L), "version", 2L), state.get(1).data());
    assertEquals("lamp", state.get(1).deviceId());
  }

  @Test
  void identicalReportChangesNothing() {
    states.applyReport(report("lamp", Map.of("power", true, "brightness", 40), 1), light);
    int stateEvents = eventsOf(GatewayEvent.STATE).size();
    // WHEN the same values come again (40.0 normalises to the same 40)
    Map<String, Object> changes = states.applyReport(report("lamp", Map.of("power", true, "brightness", 40.0), 5),
        light);
    // THEN no change, no version bump, no state event, updatedAt unchanged, lastSeen moved
    assertEquals(Map.of(), changes);
    assertEquals(1, view("lamp").version());
    assertEquals(stateEvents, eventsOf(GatewayEvent.STATE).size());
    assertEquals(T0.plusSeconds(1), view("lamp").updatedAt().get("brightness"));
    assertEquals(T0.plusSeconds(5), view("lamp").lastSeen());
    assertEquals(T0.plusSeconds(5), persisted.get(persisted.size() - 1).lastSeen(), "lastSeen is persisted");
  }

  @Test
  void valuesAreNormalisedToProfileTypes() {
    states.applyReport(report("heat", Map.of("target_temp", 21, "current_temp", 19L, "mode", "off"), 1), thermostat);
    Map<String, Object> s = view("heat").state();
    assertInstanceOf(Double.class, s.get("target_temp"));
    assertInstanceOf(Double.class, s.get("current_temp"));
    assertEquals(Map.of("target_temp", 21.0, "current_temp", 19.0, "mode", "off"), s);
    states.applyReport(report("lamp", Map.of("brightness", 40.0), 1), light);
    assertInstanceOf(Long.class, view("lamp").state().get("brightness"));
  }

  @Test
  void valuesThatDoNotFitAreDroppedAndTheRestApplied() {
    states.applyReport(report("lamp", Map.of("power", false, "brightness", 10), 1), light);
    // WHEN a report mixes garbage and a good value
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("brightness", 500);
    bad.put("color_temp", "warm");
    bad.put("power", true);
    Map<String, Object> changes = states.applyReport(report("lamp", bad, 2), light);
    // THEN only the good value applies, the garbage is counted
    assertEquals(Map.of("power", true), changes);
    assertEquals(Map.of("power", true, "brightness", 10L), view("lamp").state());
    assertEquals(2, states.rejectedValues());
    assertEquals(2, view("lamp").version());
  }

  @Test
  void garbageOnlyNeverChangesState() {
    states.applyReport(report("heat", Map.of("target_temp", 20.0), 1), thermostat);
    long version = view("heat").version();
    int stateEvents = eventsOf(GatewayEvent.STATE).size();
    Map<String, Object> garbage = new LinkedHashMap<>();
    garbage.put("target_temp", 22.3); // off-step
    garbage.put("mode", "turbo");
    garbage.put("current_temp", Double.NaN);
    garbage.put("target_temp_2", null);
    assertEquals(Map.of(), states.applyReport(report("heat", garbage, 2), thermostat));
    assertEquals(Map.of("target_temp", 20.0), view("heat").state());
    assertEquals(version, view("heat").version());
    assertEquals(stateEvents, eventsOf(GatewayEvent.STATE).size());
    assertEquals(3, states.rejectedValues(), "the unknown property is ignored, not counted");
  }

  @Test
  void unknownPropertiesAreIgnored() {
    Map<String, Object> changes = states.applyReport(report("lamp", Map.of("rssi", -60, "power", true), 1), light);
    assertEquals(Map.of("power", true), changes);
    assertFalse(view("lamp").state().containsKey("rssi"));
    assertEquals(0, states.rejectedValues());
  }

  @Test
  void reportsForUntrackedDevicesAreIgnored() {
    assertEquals(Map.of(), states.applyReport(report("ghost", Map.of("power", true), 1), light));
    assertTrue(states.view("ghost").isEmpty());
    assertTrue(events.isEmpty());
    assertEquals(Availability.UNKNOWN, states.availability("ghost"));
  }

  @Test
  void changesFeedHistoryBooleansAsZeroOne() {
    states.applyReport(report("lamp", Map.of("power", true, "brightness", 40), 1), light);
    states.applyReport(report("lamp", Map.of("power", true, "brightness", 40), 2), light);
    states.applyReport(report("heat", Map.of("mode", "heat"), 3), thermostat);
    // strings go as labels; the history recorder keeps those of enum properties (docs/history.md)
    assertEquals(3, history.size(), history::toString);
    assertTrue(history.contains(HistoryPoint.label("heat", "mode", T0.plusSeconds(3), "heat")));
    assertTrue(history.contains(new HistoryPoint("lamp", "power", T0.plusSeconds(1), 1)));
    assertTrue(history.contains(new HistoryPoint("lamp", "brightness", T0.plusSeconds(1), 40)));
  }

  @Test
  void everyChangeIsPersistedWithItsVersion() {
    states.applyReport(report("lamp", Map.of("power", true), 1), light);
    DeviceStateSnapshot last = persisted.get(persisted.size() - 1);
    assertEquals("lamp", last.deviceId());
    assertEquals(Map.of("power", true), last.state());
    assertEquals(1, last.version());
    assertEquals(Boolean.TRUE, last.online());
  }

  @Test
  void seqGrowsFromTheRestoredValue() {
    states.applyReport(report("lamp", Map.of("power", true), 1), light);
    assertEquals(List.of(101L, 102L), events.stream().map(GatewayEvent::seq).toList(),
        "availability then state, numbered after the last persisted seq");
    assertEquals(102, hub.lastSeq());
  }

  // ---- availability

  @Test
  void firstReportBringsDeviceOnline() {
    assertEquals(Availability.UNKNOWN, states.availability("lamp"));
    states.applyReport(report("lamp", Map.of("power", true), 1), light);
    assertEquals(Availability.ONLINE, states.availability("lamp"));
    List<GatewayEvent> av = eventsOf(GatewayEvent.AVAILABILITY);
    assertEquals(1, av.size());
    assertEquals(Map.of("online", true), av.get(0).data());
  }

  @Test
  void availabilityTransitionsCarryTheirReason() {
    states.availabilityChanged("lamp", true, null);
    states.availabilityChanged("lamp", true, null); // no transition: no event
    states.availabilityChanged("lamp", false, "lwt");
    states.availabilityChanged("lamp", false, "lwt");
    states.availabilityChanged("lamp", false, "timeout");
    states.availabilityChanged("lamp", true, "ignored");
    assertEquals(List.of(Map.of("online", true), Map.of("online", false, "reason", "lwt"),
        Map.of("online", false, "reason", "timeout"), Map.of("online", true)),
        eventsOf(GatewayEvent.AVAILABILITY).stream().map(GatewayEvent::data).toList());
    assertTrue(view("lamp").online());
    assertEquals(null, view("lamp").reason());
  }

  @Test
  void retainedReportDoesNotOverrideKnownOffline() {
    states.availabilityChanged("lamp", false, "lwt");
    // WHEN the broker replays the retained state of the offline device
    states.applyReport(retained("lamp", Map.of("power", true)), light);
    // THEN the state is known, but the device stays offline
    assertEquals(Availability.OFFLINE, states.availability("lamp"));
    assertEquals("lwt", view("lamp").reason());
    assertEquals(Map.of("power", true), view("lamp").state());
    // AND a fresh report brings it back
    states.applyReport(report("lamp", Map.of("power", true), 3), light);
    assertEquals(Availability.ONLINE, states.availability("lamp"));
  }

  @Test
  void retainedReportConfirmsAnUnknownDevice() {
    states.applyReport(retained("lamp", Map.of("power", true)), light);
    assertEquals(Availability.ONLINE, states.availability("lamp"));
  }

  @Test
  void expireUnknownMarksOnlyUnknownDevicesOfflineWithReasonRestart() {
    states.track("door", null);
    states.availabilityChanged("lamp", true, null);
    states.availabilityChanged("heat", false, "lwt");
    events.clear();
    // WHEN the grace period ends
    int n = states.expireUnknown(List.of("lamp", "heat", "door", "ghost"));
    // THEN only the never-heard-from device goes offline, with reason restart
    assertEquals(1, n);
    assertEquals(Availability.OFFLINE, states.availability("door"));
    assertEquals("restart", view("door").reason());
    assertEquals(Availability.ONLINE, states.availability("lamp"));
    assertEquals("lwt", view("heat").reason());
    assertEquals(1, events.size());
    assertEquals("door", events.get(0).deviceId());
    assertEquals(Map.of("online", false, "reason", "restart"), events.get(0).data());
    assertEquals(0, states.expireUnknown(List.of("door")), "a second expiry changes nothing");
  }

  @Test
  void restoredStateKeepsVersionButRelearnsAvailabilityAndDropsPending() {
    DeviceStateSnapshot snap = new DeviceStateSnapshot("old", Map.of("power", true), Map.of("brightness", 60L),
        Map.of("power", T0), 17, true, null, T0);
    states.track("old", snap);
    DeviceView v = view("old");
    assertEquals(17, v.version());
    assertEquals(Map.of("power", true), v.state());
    assertEquals(Map.of(), v.pending());
    assertEquals(Availability.UNKNOWN, v.availability());
    states.applyReport(report("old", Map.of("power", false), 1), light);
    assertEquals(18, view("old").version(), "a version is never reused after a restart");
  }

  // ---- pending, confirmation

  @Test
  void pendingIsSetAndClearedByItsOwningCommandOnly() {
    states.setPending("lamp", "cmd-a", Map.of("brightness", 60L));
    assertEquals(Map.of("brightness", 60L), view("lamp").pending());
    assertEquals(Map.of("brightness", 60L), persisted.get(persisted.size() - 1).pending());
    // WHEN a second command takes over brightness and adds power
    states.setPending("lamp", "cmd-b", Map.of("brightness", 70L, "power", true));
    // THEN clearing the first command leaves the second's values
    states.clearPending("lamp", "cmd-a");
    assertEquals(Map.of("brightness", 70L, "power", true), view("lamp").pending());
    states.clearPending("lamp", "cmd-b");
    assertEquals(Map.of(), view("lamp").pending());
    assertEquals(Map.of(), persisted.get(persisted.size() - 1).pending());
  }

  @Test
  void pendingIsNotTheReportedState() {
    states.applyReport(report("lamp", Map.of("brightness", 40), 1), light);
    states.setPending("lamp", "c", Map.of("brightness", 60L));
    assertEquals(Map.of("brightness", 40L), view("lamp").state());
    assertFalse(states.shows("lamp", Map.of("brightness", 60L)));
  }

  @Test
  void showsNeedsEveryValue() {
    states.applyReport(report("lamp", Map.of("power", true, "brightness", 60), 1), light);
    assertTrue(states.shows("lamp", Map.of("power", true, "brightness", 60L)));
    assertTrue(states.shows("lamp", Map.of("brightness", 60L)));
    assertFalse(states.shows("lamp", Map.of("power", true, "brightness", 61L)));
    assertFalse(states.shows("lamp", Map.of("color_temp", 3000L)));
    assertFalse(states.shows("ghost", Map.of()));
  }

  @Test
  void confirmedValuesMergeAndBringTheDeviceOnline() {
    Map<String, Object> changes = states.applyConfirmed("lamp", Map.of("brightness", 60L));
    assertEquals(Map.of("brightness", 60L), changes);
    assertEquals(1, view("lamp").version());
    assertEquals(Availability.ONLINE, states.availability("lamp"));
    assertEquals(T0, view("lamp").updatedAt().get("brightness"));
    assertEquals(Map.of(), states.applyConfirmed("lamp", Map.of("brightness", 60L)));
    assertEquals(1, view("lamp").version());
  }

  @Test
  void untrackForgetsTheDevice() {
    states.untrack("lamp");
    assertTrue(states.view("lamp").isEmpty());
    states.setPending("lamp", "c", Map.of("power", true));
    states.availabilityChanged("lamp", false, "lwt");
    assertTrue(events.isEmpty());
    assertEquals(1, states.snapshots().size());
  }
}
