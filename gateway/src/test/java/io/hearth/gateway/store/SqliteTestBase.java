package io.hearth.gateway.store;

import io.hearth.gateway.TestTransports;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A {@link SqliteStore} open on a temp dir for each test, closed after it. */
abstract class SqliteTestBase {
  @TempDir
  Path dir;
  SqliteStore store;

  @BeforeEach
  void open() {
    store = new SqliteStore(dir, TestTransports.standard());
    store.open();
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Closes and opens the file again: what was written must have reached it. */
  void reopen() {
    store.close();
    store = new SqliteStore(dir, TestTransports.standard());
    store.open();
  }
}
