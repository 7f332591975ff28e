package io.hearth.gateway.store;

import io.hearth.gateway.TestTransports;
import static io.hearth.gateway.store.DiskFullWrites.DEVICE;
import static io.hearth.gateway.store.DiskFullWrites.assertDiskFull;
import static io.hearth.gateway.store.DiskFullWrites.assertEveryKindOfWriteFails;
import static io.hearth.gateway.store.DiskFullWrites.assertEveryKindOfWriteWorks;
import static io.hearth.gateway.store.DiskFullWrites.saveCommandsUntilFull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearth.gateway.store.DiskFullWrites.Failure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A really full disk: the data directory is a 2 MB tmpfs, filled up by another file. Needs root and
 * {@code mount} (CI runs as root on a VM); skipped otherwise. {@link StoreDiskFullTest} covers the
 * same recovery everywhere by capping the database size instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreTmpfsFullTest {
  /** Larger than the biggest write of the filling loop, so no later write fits in what it left. */
  private static final int FILL_BYTES = 64 * 1024;
  private static final int CHECK_BYTES = 2 * FILL_BYTES;

  @TempDir
  Path tmp;
  Path dataDir;
  Path filler;
  boolean mounted;
  SqliteStore store;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a tmpfs");
    dataDir = Files.createDirectory(tmp.resolve("data"));
    int exit = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", dataDir.toString());
    assumeTrue(exit == 0, "mount -t tmpfs failed (exit " + exit + "): no size-limited file system here");
    mounted = true;
    filler = dataDir.resolve("filler");
    store = new SqliteStore(dataDir, TestTransports.standard());
    store.open();
  }

  @AfterEach
  void unmount() throws Exception {
    if (store != null) {
      store.close();
    }
    if (mounted) {
      assertEquals(0, run("umount", dataDir.toString()), "umount " + dataDir);
    }
  }

  @Test
  void writesFailTypedWhileTheDiskIsFullAndWorkAgainOnTheSameStoreOnceSpaceIsBack() throws Exception {
    // GIVEN a registered device, and a disk filled up by another file
    store.devices().upsert(Fixtures.coapDevice(DEVICE));
    Instant full = Instant.now();
    fillTheDisk();
    // WHEN commands are saved THEN one fails with the typed error, and the health says why
    Failure failure = saveCommandsUntilFull(store, FILL_BYTES, 1_000);
    assertDiskFull(store, failure.error(), "saveCommand", full);
    fillTheDisk(); // whatever the store may have freed meanwhile
    assertEveryKindOfWriteFails(store, CHECK_BYTES);
    assertEquals(1, store.devices().load().size(), "reads still work");

    // WHEN space is back (the store is not reopened)
    Instant back = Instant.now();
    Files.delete(filler);
    // THEN commands, states, history, events and idempotency records are written, and it is up
    assertEveryKindOfWriteWorks(store, failure.command(), CHECK_BYTES, back);
    // and it is all in the file
    store.close();
    store = new SqliteStore(dataDir, TestTransports.standard());
    store.open();
    assertTrue(store.commands().find(failure.command().commandId()).isPresent());
    assertEquals(List.of(7L), store.events().after(0, 10).stream().map(StoredEvent::seq).toList());
  }

  /** Appends to the filler until the file system has no space left. */
  private void fillTheDisk() throws IOException {
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      long left = Files.getFileStore(dataDir).getUsableSpace();
      assertTrue(left < chunk.length, "the filler stopped with space left (" + left + " bytes): " + e);
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
    if (p.exitValue() != 0) {
      System.err.println(String.join(" ", command) + ": " + output.strip());
    }
    return p.exitValue();
  }
}
