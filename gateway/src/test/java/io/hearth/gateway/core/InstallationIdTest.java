package io.hearth.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationIdTest {
  @TempDir
  Path dir;

  @Test
  void madeOnceThenKept() throws Exception {
    String first = InstallationId.ensure(dir);
    assertTrue(first.matches("[0-9a-f]{16}"), first);
    assertEquals(first, InstallationId.ensure(dir));
    assertEquals(first, Files.readString(dir.resolve(InstallationId.FILE)).trim());
    assertEquals("hearth-gateway-" + first, InstallationId.mqttClientId(first));
    // another installation gets another id
    Path other = Files.createDirectory(dir.resolve("other"));
    assertNotEquals(first, InstallationId.ensure(other));
  }

  @Test
  void aDamagedFileIsReplaced() throws Exception {
    Files.writeString(dir.resolve(InstallationId.FILE), "not an id\n");
    String id = InstallationId.ensure(dir);
    assertTrue(id.matches("[0-9a-f]{16}"), id);
    assertEquals(id, InstallationId.ensure(dir));
  }

  @Test
  void anUnwritableFolderIsAConfigError() {
    assertThrows(ConfigException.class, () -> InstallationId.ensure(dir.resolve("missing/deeper")));
  }
}
