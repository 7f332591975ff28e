package io.hearth.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records every ERROR logged under {@code io.hearth}: the gateway logs an unexpected failure at
 * ERROR (with a reference) before answering 500 INTERNAL or a WebSocket {@code INTERNAL} error, so
 * a fuzz input that gets one is a finding even when the answer looks fine.
 */
final class ErrorLogs extends AppenderBase<ILoggingEvent> {
  private final List<ILoggingEvent> errors = new ArrayList<>();

  /** Starts recording on the {@code io.hearth} logger. */
  static ErrorLogs attach() {
    ErrorLogs appender = new ErrorLogs();
    appender.setName("fuzz-errors");
    appender.start();
    ((Logger) LoggerFactory.getLogger("io.hearth")).addAppender(appender);
    return appender;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      errors.add(event);
    }
  }

  /** Forgets what was recorded so far. */
  synchronized void clear() {
    errors.clear();
  }

  /** Throws {@link AssertionError} (with the first one) if an ERROR was logged since {@link #clear}. */
  synchronized void assertNone(String input) {
    if (!errors.isEmpty()) {
      ILoggingEvent first = errors.get(0);
      AssertionError e = new AssertionError("ERROR logged for input " + input + ": [" + first.getLoggerName() + "] "
          + first.getFormattedMessage() + (first.getThrowableProxy() == null ? ""
          : " / " + first.getThrowableProxy().getClassName() + ": " + first.getThrowableProxy().getMessage()));
      errors.clear();
      throw e;
    }
  }

  /** Stops recording. */
  void detach() {
    ((Logger) LoggerFactory.getLogger("io.hearth")).detachAppender(this);
    stop();
  }
}
