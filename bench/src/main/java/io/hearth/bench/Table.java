package io.hearth.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The results as a Markdown table: scenario, metric, raw, gateway, gateway ÷ raw. */
final class Table {
  private Table() {}

  static String render(JsonObject results) {
    JsonObject s = results.getJsonObject("scenarios", new JsonObject());
    List<String[]> rows = new ArrayList<>();
    roundTripRows(rows, s.getJsonObject("commandRoundTrip"), false);
    roundTripRows(rows, s.getJsonObject("sequentialRoundTrip"), true);
    throughputRows(rows, s.getJsonObject("oneDevice"), "slider storm");
    throughputRows(rows, s.getJsonObject("throughput"), "throughput");
    JsonObject fo = s.getJsonObject("fanOut");
    if (fo != null) {
      for (String k : fo.fieldNames()) {
        JsonObject c = fo.getJsonObject(k);
        JsonObject r = c.getJsonObject("raw");
        JsonObject g = c.getJsonObject("gateway");
        String name = "fan-out " + k.substring(7) + " clients (" + c.getInteger("updatesPerSecond") + " updates/s)";
        rows.add(new String[] {name, "frames/s", r.getLong("framesPerSecond") + "",
            g.getLong("framesPerSecond") + "", ratio(g.getLong("framesPerSecond"), r.getLong("framesPerSecond"))});
        for (String q : List.of("p50", "p99")) {
          double rv = r.getJsonObject("latency").getDouble(q + "Us");
          double gv = g.getJsonObject("latency").getDouble(q + "Us");
          rows.add(new String[] {name, q + " ms publish→frame", ms(rv), ms(gv), ratio(gv, rv)});
        }
      }
    }
    JsonObject au = s.getJsonObject("automations");
    if (au != null) {
      JsonObject paced = au.getJsonObject("paced");
      String name = "automations (" + au.getInteger("rules") + " rules)";
      rows.add(new String[] {name, "rule evaluations/s (flat out)", "", au.getLong("ruleEvaluationsPerSecond") + "", ""});
      rows.add(new String[] {name, paced.getLong("stateChangesPerSecond") + " state changes/s: % of one core", "",
          paced.getDouble("cpuPercentOfOneCore") + "", ""});
      rows.add(new String[] {name, "p99 µs per state change", "", paced.getLong("p99UsPerChange") + "", ""});
    }
    relayRows(rows, s.getJsonObject("relay"));
    JsonObject sc = s.getJsonObject("scale");
    if (sc != null) {
      scaleRows(rows, sc, "");
      JsonObject mq = sc.getJsonObject("mosquitto");
      if (mq != null) {
        scaleRows(rows, mq, ", external Mosquitto");
      }
    }
    JsonObject st = s.getJsonObject("start");
    if (st != null) {
      for (String k : st.fieldNames()) {
        if (k.startsWith("restored") && k.endsWith("Ms")) {
          long states = st.getLong("restoredStates", st.getLong("restoredDevices", 0L));
          rows.add(new String[] {k.endsWith("CdsMs") ? "start to ready line, AppCDS archive" : "start to ready line",
              "ms (raw: empty store, no archive)", st.getLong("emptyMs") + "",
              st.getLong(k) + " (" + st.getInteger("restoredDevices") + " devices, " + states + " states)", ""});
        }
      }
      if (st.containsKey("restoredError")) {
        rows.add(new String[] {"start on the stored states", "ready line", "",
            "**failed**: " + st.getString("restoredError"), ""});
      }
      if (rows.stream().noneMatch(r -> r[0].startsWith("start"))) {
        rows.add(new String[] {"start to ready line", "ms (empty store)", st.getLong("emptyMs") + "", "", ""});
      }
    }
    StringBuilder out = new StringBuilder("| scenario | metric | raw | gateway | gateway ÷ raw |\n|---|---|---|---|---|\n");
    for (String[] r : rows) {
      out.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return out.toString();
  }

  /** p50…max of each protocol, raw and gateway. */
  private static void roundTripRows(List<String[]> rows, JsonObject rt, boolean sequential) {
    if (rt == null) {
      return;
    }
    for (String p : List.of("mqtt", "coap")) {
      JsonObject c = rt.getJsonObject(p);
      if (c == null) {
        continue;
      }
      JsonObject r = c.getJsonObject("raw");
      JsonObject g = c.getJsonObject("gateway");
      String name = "command round trip " + p
          + (sequential ? " (sequential, 1 client)" : " (" + c.getInteger("ratePerSecond") + "/s)");
      for (String q : List.of("p50", "p90", "p99", "max")) {
        double rv = r.getDouble(q + "Us");
        double gv = g.getDouble(q + "Us");
        rows.add(new String[] {name, q + " ms", ms(rv), ms(gv) + " (+" + ms(gv - rv) + ")", ratio(gv, rv)});
      }
    }
  }

  /** The relay's added latency: raw is the direct call to the gateway, gateway the call through the relay. */
  private static void relayRows(List<String[]> rows, JsonObject relay) {
    if (relay == null) {
      return;
    }
    for (String k : List.of("getDevice", "commandWait")) {
      JsonObject c = relay.getJsonObject(k);
      String name = (k.equals("getDevice") ? "GET /devices/{id}" : "command with wait")
          + " through the relay (sequential; raw: direct)";
      for (String q : List.of("p50", "p99")) {
        double dv = c.getJsonObject("direct").getDouble(q + "Us");
        double rv = c.getJsonObject("relayed").getDouble(q + "Us");
        rows.add(new String[] {name, q + " ms", ms(dv), ms(rv) + " (+" + ms(rv - dv) + ")", ratio(rv, dv)});
      }
    }
  }

  /** Commands per second, p99 and failures of a closed-loop run ({@code throughput}, {@code oneDevice}). */
  private static void throughputRows(List<String[]> rows, JsonObject tp, String label) {
    if (tp == null) {
      return;
    }
    JsonObject raw = tp.getJsonObject("raw");
    JsonObject gw = tp.getJsonObject("gateway");
    double r = raw.getDouble("perSecond");
    double g = gw.getDouble("perSecond");
    String name = label + " (" + tp.getInteger("clients") + " clients, " + tp.getInteger("devices")
        + (tp.getInteger("devices") == 1 ? " device)" : " devices)");
    rows.add(new String[] {name, "commands/s", String.format("%.0f", r), String.format("%.0f", g), ratio(g, r)});
    if (gw.getLong("superseded", 0L) > 0) {
      double delivered = gw.getDouble("deliveredPerSecond");
      rows.add(new String[] {label, "delivered to the device/s (rest superseded)", String.format("%.0f", r),
          String.format("%.0f", delivered), ratio(delivered, r)});
    }
    double rp = raw.getJsonObject("latency").getDouble("p99Us");
    double gp = gw.getJsonObject("latency").getDouble("p99Us");
    rows.add(new String[] {label, "p99 ms under load", ms(rp), ms(gp), ratio(gp, rp)});
    rows.add(new String[] {label, "failed", String.valueOf(raw.getLong("failed")),
        String.valueOf(gw.getLong("failed")), ""});
  }

  /** Rows of one scale run: every {@code devicesN} against its {@code baseline}. */
  private static void scaleRows(List<String[]> rows, JsonObject sc, String broker) {
    JsonObject b = sc.getJsonObject("baseline");
    for (String k : sc.fieldNames()) {
      if (!k.startsWith("devices")) {
        continue;
      }
      JsonObject c = sc.getJsonObject(k);
      String name = "scale " + c.getInteger("devices") + " devices (" + sc.getString("jvm") + broker + ")";
      if (!c.getBoolean("allOnline", true)) {
        String error = c.getString("error", "");
        rows.add(new String[] {name, "all devices online", "",
            "no: " + (error.length() > 80 ? error.substring(0, 80) + "…" : error), ""});
        if (c.getLong("heapBytes", -1L) < 0) {
          continue; // it did not answer the measurement either
        }
      }
      rows.add(new String[] {name, "live heap MB (raw: no device)", mb(b.getLong("heapBytes")),
          mb(c.getLong("heapBytes")), ""});
      rows.add(new String[] {name, "RSS MB (raw: no device)", mb(b.getLong("rssBytes")), mb(c.getLong("rssBytes")),
          ""});
      if (c.getLong("brokerRssBytes") != null) {
        rows.add(new String[] {name, "Mosquitto RSS MB", "", mb(c.getLong("brokerRssBytes")), ""});
      }
      rows.add(new String[] {name, "heap bytes per device", "", c.getLong("bytesPerDevice") + "", ""});
    }
  }

  private static String ms(double us) {
    return String.format("%.2f", us / 1000.0);
  }

  private static String mb(long bytes) {
    return String.format("%.1f", bytes / (1024.0 * 1024.0));
  }

  private static String ratio(double g, double r) {
    return r == 0 ? "" : String.format("%.2f", g / r);
  }
}
