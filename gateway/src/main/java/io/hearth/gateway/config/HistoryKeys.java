package io.hearth.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Defaults and checks of {@code history.*} ({@link HistoryConfig}, docs/configuration.md "History"). */
final class HistoryKeys {
  private HistoryKeys() {
  }

  static void addDefaults(ObjectNode root) {
    HistoryConfig d = HistoryConfig.DEFAULTS;
    root.putObject("history").put("writeIntervalMs", d.writeIntervalMs())
        .put("deadbands", d.deadbands().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")))
        .put("rawRetentionDays", d.rawRetentionDays()).put("downsampleStepMinutes", d.downsampleStepMinutes())
        .put("downsampledRetentionDays", d.downsampledRetentionDays()).put("maxPageSize", d.maxPageSize());
  }

  static HistoryConfig bind(JsonNode n) {
    return new HistoryConfig(
        ConfigLoader.range(n, "writeIntervalMs", "history.writeIntervalMs", 0, 3_600_000),
        deadbands(n.get("deadbands").asText()),
        ConfigLoader.range(n, "rawRetentionDays", "history.rawRetentionDays", 1, 3650),
        ConfigLoader.range(n, "downsampleStepMinutes", "history.downsampleStepMinutes", 0, 1440),
        ConfigLoader.range(n, "downsampledRetentionDays", "history.downsampledRetentionDays", 0, 36500),
        ConfigLoader.range(n, "maxPageSize", "history.maxPageSize", 10, 1_000_000));
  }

  /** {@code name=value,…} with non-negative values; empty: no deadband. */
  static Map<String, Double> deadbands(String raw) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String item : raw.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      String[] kv = item.split("=", 2);
      double v;
      try {
        v = kv.length == 2 && !kv[0].isBlank() ? Double.parseDouble(kv[1].trim()) : -1;
      } catch (NumberFormatException e) {
        v = -1;
      }
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new ConfigException("config key 'history.deadbands' must list property=amount pairs such as"
            + " 'temperature=0.1,humidity=1' (amounts ≥ 0), not '" + item.trim() + "'");
      }
      out.put(kv[0].trim(), v);
    }
    return out;
  }
}
