package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: the {@code bridges} table (schema 5): bridges of the API survive a restart, and go when deleted. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteBridgeStoreTest extends SqliteTestBase {

  @Test
  void bridgesSurviveARestartWithTheirCredentialsAndGoWhenDeleted() {
    MqttBridge hub = new MqttBridge("hub", null, "home/z2m", new MqttBinding.Credentials("hub", "s3cret-pass"), false);
    MqttBridge bare = new MqttBridge("bare", null, null, null, false);
    store.bridges().upsert(hub);
    store.bridges().upsert(bare);
    reopen();
    assertEquals(List.of(hub, bare), store.bridges().load());
    store.bridges().upsert(hub.withCredentials(new MqttBinding.Credentials("hub", "other-pass")));
    store.bridges().delete("bare");
    store.bridges().delete("never-there");
    reopen();
    assertEquals(List.of(hub.withCredentials(new MqttBinding.Credentials("hub", "other-pass"))), store.bridges().load());
  }
}
