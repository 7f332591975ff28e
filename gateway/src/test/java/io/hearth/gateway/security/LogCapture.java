package io.hearth.gateway.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects every log event of {@code io.hearth} (at DEBUG while attached), for assertions on logs. */
final class LogCapture implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.hearth");
  private final Level previous = logger.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
  }

  /** Every formatted message so far, with its logger name. */
  synchronized List<String> lines() {
    return List.copyOf(appender.list).stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
  }

  /** The formatted messages logged at ERROR so far. */
  synchronized List<String> errors() {
    return List.copyOf(appender.list).stream().filter(e -> e.getLevel() == Level.ERROR)
        .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }
}
