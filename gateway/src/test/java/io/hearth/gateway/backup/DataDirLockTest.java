package io.hearth.gateway.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir lock: a gateway refuses a data dir that is held, and lets go of the lock on a failed start. */
class DataDirLockTest {
  @TempDir
  Path dir;

  @Test
  void aGatewayRefusesADataDirInUseBeforeOpeningAnything() throws Exception {
    // GIVEN a data dir whose lock is held (as by a running gateway)
    GatewayConfig config = BackupFiles.load(BackupFiles.config(dir, ""));
    Files.createDirectories(config.dataDir());
    try (DataDirLock held = DataDirLock.acquire(config.dataDir())) {
      // WHEN a gateway starts on it
      Application app = Application.builder(config).build();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> app.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));

      // THEN it fails naming the lock file, before creating the database
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("is in use by a running Hearth gateway (it holds "
          + config.dataDir().resolve(DataDirLock.FILE)), e.getCause().getMessage());
      assertFalse(Files.exists(config.dataDir().resolve("hearth.db")));
      app.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // AND the lock it did not get is still held by its owner
      assertTrue(DataDirLock.isHeld(config.dataDir()));
    }
    assertFalse(DataDirLock.isHeld(config.dataDir()));
  }
}
