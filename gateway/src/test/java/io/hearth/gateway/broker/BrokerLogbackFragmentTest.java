package io.hearth.gateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** hearth-broker-logback.xml can be included by a Logback configuration and sets its levels. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrokerLogbackFragmentTest {

  @Test
  void fragmentIsIncludable() throws Exception {
    LoggerContext context = new LoggerContext(); // a private context: the JVM's is untouched
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    String config =
        "<configuration><include resource=\"hearth-broker-logback.xml\"/></configuration>";
    configurator.doConfigure(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
    assertTrue(
        context.getStatusManager().getCopyOfStatusList().stream()
            .allMatch(s -> s.getLevel() < Status.ERROR),
        () -> context.getStatusManager().getCopyOfStatusList().toString());
    assertEquals(Level.WARN, context.getLogger("jetbrains.exodus").getLevel());
    assertEquals(Level.WARN, context.getLogger("com.hivemq.embedded.internal").getLevel());
    context.stop();
  }
}
