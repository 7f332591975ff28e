package io.hearth.sim.mqtt;

import io.hearth.sim.behavior.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Tasmota's MQTT convention for lights, plugs and climate sensors: {@code cmnd/{topic}/POWER},
 * {@code Dimmer}, {@code CT}; results on {@code stat/{topic}/RESULT} and {@code stat/{topic}/POWER};
 * telemetry {@code tele/{topic}/STATE} and {@code tele/{topic}/SENSOR}; LWT
 * {@code tele/{topic}/LWT} Online/Offline. Tasmota has no replies and no command ids.
 */
final class TasmotaConvention implements MqttConvention {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final String topic;
  private final String profile;
  private final Instant bootTime = Instant.now();

  TasmotaConvention(String topic, String profile) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.profile = Objects.requireNonNull(profile, "profile");
    if (!List.of("light.dimmable", "plug", "sensor.climate").contains(profile)) {
      throw new IllegalArgumentException("profile " + profile + " is not simulated over tasmota "
          + "(light.dimmable, plug, sensor.climate are)");
    }
  }

  private boolean switchable() {
    return !profile.equals("sensor.climate");
  }

  @Override
  public List<String> subscriptions() {
    return List.of("cmnd/" + topic + "/+");
  }

  @Override
  public String availabilityTopic() {
    return "tele/" + topic + "/LWT";
  }

  @Override
  public byte[] onlinePayload() {
    return "Online".getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] offlinePayload() {
    return "Offline".getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Inbound decode(String t, byte[] payload, Map<String, Object> state) {
    String prefix = "cmnd/" + topic + "/";
    if (!t.startsWith(prefix)) {
      return Inbound.ignore("not a command topic: " + t);
    }
    String command = t.substring(prefix.length()).toUpperCase(Locale.ROOT);
    String arg = new String(payload, StandardCharsets.UTF_8).trim();
    String desc = command + (arg.isEmpty() ? "" : "=" + arg);
    boolean light = profile.equals("light.dimmable");
    try {
      if ((command.equals("POWER") || command.equals("POWER1")) && switchable()) {
        return arg.isEmpty() ? Inbound.query(desc)
            : Inbound.set(desc, Map.of("power", Conversions.parsePower(arg, Boolean.TRUE.equals(state.get("power")))));
      }
      if (command.equals("DIMMER") && light) {
        if (arg.isEmpty()) {
          return Inbound.query(desc);
        }
        int dimmer = Conversions.integer("Dimmer", arg);
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("brightness", dimmer);
        set.put("power", dimmer > 0); // Tasmota switches the light with the dimmer
        return Inbound.set(desc, set);
      }
      if (command.equals("CT") && light) {
        return arg.isEmpty() ? Inbound.query(desc)
            : Inbound.set(desc, Map.of("color_temp", Conversions.miredToKelvin(Conversions.integer("CT", arg))));
      }
      if (command.equals("STATE") || command.equals("STATUS")) {
        return Inbound.query(desc);
      }
    } catch (IllegalArgumentException e) {
      return Inbound.invalid(desc, e.getMessage());
    }
    return Inbound.invalid(desc, "Unknown");
  }

  @Override
  public List<Publication> stateReport(Map<String, Object> state) {
    if (!switchable()) {
      return List.of(sensor(state));
    }
    return List.of(new Publication("stat/" + topic + "/RESULT", Json.write(result(state)), false),
        new Publication("stat/" + topic + "/POWER", bytes(Conversions.onOff(state.get("power"))), false));
  }

  @Override
  public List<Publication> periodicReport(Map<String, Object> state) {
    List<Publication> out = new ArrayList<>();
    Map<String, Object> tele = new LinkedHashMap<>();
    tele.put("Time", TIME.format(Instant.now()));
    tele.put("UptimeSec", ChronoUnit.SECONDS.between(bootTime, Instant.now()));
    if (switchable()) {
      tele.putAll(result(state));
    }
    out.add(new Publication("tele/" + topic + "/STATE", Json.write(tele), false));
    if (!profile.equals("light.dimmable")) {
      out.add(sensor(state));
    }
    return out;
  }

  private Map<String, Object> result(Map<String, Object> state) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("POWER", Conversions.onOff(state.get("power")));
    if (profile.equals("light.dimmable")) {
      r.put("Dimmer", state.get("brightness"));
      r.put("CT", Conversions.kelvinToMired((Integer) state.get("color_temp")));
    }
    return r;
  }

  private Publication sensor(Map<String, Object> state) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Time", TIME.format(Instant.now()));
    if (profile.equals("plug")) {
      double w = ((Number) state.get("power_w")).doubleValue();
      Map<String, Object> energy = new LinkedHashMap<>();
      energy.put("Total", state.get("energy_kwh"));
      energy.put("Power", w);
      energy.put("Voltage", 230);
      energy.put("Current", Math.round(w / 230.0 * 1000.0) / 1000.0);
      s.put("ENERGY", energy);
    } else {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("Temperature", state.get("temperature"));
      am.put("Humidity", state.get("humidity"));
      s.put("AM2301", am);
      s.put("TempUnit", "C");
    }
    return new Publication("tele/" + topic + "/SENSOR", Json.write(s), false);
  }

  @Override
  public List<Publication> commandEffects(Inbound command, Outcome outcome, Map<String, Object> state) {
    return List.of();
  }

  @Override
  public List<Publication> confirmation(Inbound command, Outcome outcome, Map<String, Object> state) {
    if (!outcome.ok()) {
      String text = "Unknown".equals(outcome.error()) ? "Unknown" : "Error";
      return List.of(new Publication("stat/" + topic + "/RESULT", Json.write(Map.of("Command", text)), false));
    }
    if (!switchable()) {
      return List.of(sensor(state));
    }
    return stateReport(state);
  }

  @Override
  public List<Publication> event(String name, Map<String, Object> data) {
    return List.of();
  }

  @Override
  public String rawTopic(String subtopic) {
    if (subtopic == null || subtopic.isEmpty()) {
      return "stat/" + topic + "/RESULT";
    }
    int slash = subtopic.indexOf('/');
    return slash < 0 ? "tele/" + topic + "/" + subtopic
        : subtopic.substring(0, slash) + "/" + topic + subtopic.substring(slash);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
