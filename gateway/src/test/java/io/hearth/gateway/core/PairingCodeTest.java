package io.hearth.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairingCodeTest {
  @TempDir
  Path data;

  @Test
  void configuredCodeWinsAndNothingIsWritten() {
    assertEquals("123456", PairingCode.ensure(" 123456 ", data));
    assertTrue(Files.notExists(data.resolve("pairing-code")));
  }

  @Test
  void generatedCodeIsStoredPrivatelyAndKeptAcrossStarts() throws Exception {
    String first = PairingCode.ensure(null, data);

    assertTrue(first.matches("[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}"), first);
    assertEquals(first, Files.readString(data.resolve("pairing-code")).trim());
    assertEquals(PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(data.resolve("pairing-code")));
    assertEquals(first, PairingCode.ensure(null, data));
  }

  @Test
  void twoHubsGetDifferentCodes(@TempDir Path other) {
    assertNotEquals(PairingCode.ensure(null, data), PairingCode.ensure(null, other));
  }
}
