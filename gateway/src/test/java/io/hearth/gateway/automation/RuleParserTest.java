package io.hearth.gateway.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.gateway.config.Yaml;
import io.hearth.gateway.domain.FieldError;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tier 1: rules from YAML and JSON, and one field-named error per problem. */
class RuleParserTest {
  private static final RuleParser PARSER = new RuleParser(ZoneId.of("Europe/Berlin"), Set.of("door", "lamp")::contains);

  @Test
  void aFullRuleInYamlAndTheSameInJson() throws Exception {
    String yaml = """
        id: hall
        alias: Hall
        mode: queued
        max: 3
        triggers:
          - { platform: state, device: door, property: open, from: false, to: [true], for: { minutes: 5 }, id: opened }
          - { trigger: numeric_state, device: door, property: battery, below: 10 }
          - { trigger: time, at: "7:30", weekday: [mon, fri] }
          - { trigger: sun, event: sunset, offset: "-1h" }
        conditions:
          - condition: not
            conditions: [ { condition: time, after: "22:00", before: "06:00" } ]
        actions:
          - command: { device: lamp, set: { power: true } }
          - delay: 90
          - wait: { device: door, property: open, state: false, timeout: "00:10:00" }
          - notify: { message: done }
          - scene: evening
            continueOnError: true
        """;
    RuleParser.Result r = PARSER.parse(Yaml.MAPPER.readTree(yaml), null, false);
    assertTrue(r.ok(), r.errors()::toString);
    Rule rule = r.rule();
    assertEquals(Rule.Mode.QUEUED, rule.mode());
    assertEquals(3, rule.max());
    assertEquals(new Trigger.State("opened", "door", "open", false, List.of(true), Duration.ofMinutes(5)),
        rule.triggers().get(0));
    assertEquals(new Trigger.Time(null, LocalTime.of(7, 30), Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        ZoneId.of("Europe/Berlin")), rule.triggers().get(2));
    assertEquals(Duration.ofHours(-1), ((Trigger.Sun) rule.triggers().get(3)).offset());
    assertEquals(Duration.ofSeconds(90), ((Action.Delay) rule.actions().get(1)).duration());
    assertTrue(rule.actions().get(4).continueOnError());
    // the same rule as JSON parses to the same
    String json = new ObjectMapper().writeValueAsString(Yaml.MAPPER.readValue(yaml, Map.class));
    assertEquals(rule, PARSER.parse(new ObjectMapper().readTree(json), null, false).rule());
  }

  @Test
  void everyProblemIsNamedByItsPath() throws Exception {
    RuleParser.Result r = PARSER.parse(new ObjectMapper().readTree("""
        {"id": "no spaces", "mode": "often", "max": 0, "colour": "red",
         "triggers": [{"trigger": "state", "device": "attic", "property": "open", "for": "-5m"},
                      {"trigger": "numeric_state", "device": "door", "property": "t"},
                      {"trigger": "teleport"}],
         "conditions": [{"condition": "or", "conditions": []}],
         "actions": [{"command": {"device": "lamp"}}, {"delay": "soon"}, {"jump": 1}]}
        """), null, false);
    List<String> paths = r.errors().stream().map(FieldError::property).toList();
    assertEquals(List.of("colour", "id", "mode", "max", "triggers[0].device", "triggers[0].for",
        "triggers[1].above", "triggers[2].trigger", "conditions[0].conditions", "actions[0].command.set",
        "actions[1].delay", "actions[2]"), paths, r.errors()::toString);
    assertTrue(PARSER.parse(new ObjectMapper().readTree("{\"id\":\"x\"}"), null, false).errors().stream()
        .anyMatch(e -> e.property().equals("triggers") && e.message().contains("required")));
  }
}
