package io.hearth.gateway.automation;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.Yaml;
import io.hearth.gateway.domain.FieldError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the automations file ({@code automations.file}, docs/automations.md, "The automations
 * file"): a YAML list of rules, or a mapping with one key {@code automations} holding that list.
 * A rule that does not parse stops the start, naming the file and the field.
 */
final class AutomationFile {
  private AutomationFile() {
  }

  static List<Rule> read(Path file, RuleParser parser) {
    JsonNode tree;
    try {
      tree = Yaml.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("automations file " + file + " is not readable YAML: " + e.getMessage(), e);
    }
    if (tree != null && tree.isObject() && tree.has("automations")) {
      tree = tree.get("automations");
    }
    List<Rule> out = new ArrayList<>();
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return out;
    }
    if (!tree.isArray()) {
      throw new ConfigException("automations file " + file + " must hold a list of rules");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < tree.size(); i++) {
      RuleParser.Result r = parser.parse(tree.get(i), null, true);
      if (!r.ok()) {
        FieldError e = r.errors().get(0);
        throw new ConfigException("automations file " + file + ": rule " + i + ": " + e.property() + ": "
            + e.message() + (r.errors().size() > 1 ? " (and " + (r.errors().size() - 1) + " more)" : ""));
      }
      if (!ids.add(r.rule().id())) {
        throw new ConfigException("automations file " + file + ": rule " + i + ": id '" + r.rule().id()
            + "' is used twice");
      }
      out.add(r.rule());
    }
    return out;
  }
}
