package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SqliteMetaStore}: small key-value facts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteMetaStoreTest extends SqliteTestBase {
  @Test
  void metaRoundTrip() {
    store.meta().put("seq", "1234");
    store.meta().put("seq", "2000");
    reopen();
    assertEquals(Optional.of("2000"), store.meta().get("seq"));
    assertEquals(Optional.empty(), store.meta().get("nope"));
  }
}
