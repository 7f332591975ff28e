package io.hearth.gateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.mqtt.TopicPermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicAclTest {

  @Test
  void matchesAsMqttMatchesATopicAgainstAFilter() {
    TopicAcl acl = TopicAcl.of(List.of("stat/t/#", "tele/t/+", "cmnd/t/POWER", "tasmota/discovery/+/#"));
    assertTrue(acl.allows("stat/t"));
    assertTrue(acl.allows("stat/t/RESULT"));
    assertTrue(acl.allows("stat/t/a/b"));
    assertTrue(acl.allows("tele/t/STATE"));
    assertTrue(acl.allows("tele/t/"));
    assertFalse(acl.allows("tele/t/a/b"));
    assertFalse(acl.allows("tele/t"));
    assertTrue(acl.allows("cmnd/t/POWER"));
    assertFalse(acl.allows("cmnd/t/POWER1"));
    assertFalse(acl.allows("cmnd/t/Dimmer"));
    assertTrue(acl.allows("tasmota/discovery/5CCF7F1A2B3C/config"));
    assertFalse(acl.allows("stat/u/RESULT"));
    assertFalse(acl.allows("stat"));
    assertFalse(acl.allows("$SYS/stat/t"));
    assertFalse(acl.allows("tasmota/discovery"));
    assertFalse(acl.allowsEverything());
  }

  @Test
  void emptyLevelsAndTrailingSlashesAreLevelsToo() {
    TopicAcl acl = TopicAcl.of(List.of("a/+/b", "c/d", "+"));
    assertTrue(acl.allows("a//b"));
    assertTrue(acl.allows("a/x/b"));
    assertFalse(acl.allows("a/x/b/"));
    assertFalse(acl.allows("a/x"));
    assertTrue(acl.allows("c/d"));
    assertFalse(acl.allows("c/d/"));
    assertFalse(acl.allows("c/dd"));
    assertFalse(TopicAcl.of(List.of("c/d")).allows("c"));
    assertTrue(acl.allows("e"));
    assertTrue(acl.allows(""));
    assertFalse(acl.allows("e/f"));
    assertFalse(acl.allows("$e"));
    assertTrue(TopicAcl.of(List.of("$SYS/#")).allows("$SYS/x"));
  }

  @Test
  void leadingWildcardsDoNotMatchDollarTopics() {
    TopicAcl all = TopicAcl.of(List.of("#"));
    assertTrue(all.allowsEverything());
    assertTrue(all.allows("a/b"));
    assertFalse(all.allows("$SYS/x"));
    assertFalse(TopicAcl.of(List.of("+/x")).allows("$SYS/x"));
  }

  @Test
  void survivesTheConnectionAttributeStore() {
    TopicAcl acl = TopicAcl.of(List.of("a/#", "b/+/c"));
    assertEquals(acl.filters(), TopicAcl.decode(acl.encode()).filters());
    assertEquals(List.of(), TopicAcl.decode(TopicAcl.of(List.of()).encode()).filters());
  }

  @Test
  void clientIdPlaceholderIsFilledInOnlyWithAPlainLevel() {
    TopicPermissions p = new TopicPermissions(List.of("tele/t/#"), List.of("cmnd/t/#", "cmnd/%c_fb/#"));
    assertEquals(List.of("cmnd/t/#", "cmnd/DVES_1A2B3C_fb/#"), TopicAcl.forClient(p, "DVES_1A2B3C").subscribe());
    assertEquals(List.of("tele/t/#"), TopicAcl.forClient(p, "DVES_1A2B3C").publish());
    for (String bad : List.of("a/b", "+", "x#", "$x", "")) {
      assertEquals(List.of("cmnd/t/#"), TopicAcl.forClient(p, bad).subscribe(), bad);
    }
  }
}
