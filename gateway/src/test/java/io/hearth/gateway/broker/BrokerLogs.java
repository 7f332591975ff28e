package io.hearth.gateway.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects the log events of {@code io.hearth.gateway.broker} (at DEBUG while attached). */
final class BrokerLogs implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.hearth.gateway.broker");
  private final Level previous = logger.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  BrokerLogs() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
  }

  /** Formatted messages at {@code level} whose text contains every one of {@code parts}. */
  List<String> lines(Level level, String... parts) {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = List.copyOf(appender.list);
    }
    return events.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
        .filter(m -> List.of(parts).stream().allMatch(m::contains)).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }
}
