package io.hearth.gateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.device.PropertyType;
import io.hearth.gateway.config.HistoryConfig;
import io.hearth.gateway.store.HistoryPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The write policy, on a clock the test moves (the points' times and the ticks). */
class HistoryRecorderTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  final List<HistoryPoint> written = new ArrayList<>();
  final HistoryRecorder recorder = new HistoryRecorder(new HistoryConfig(10_000, Map.of("temperature", 0.1), 7, 5,
      365, 100), (device, property) -> switch (property) {
        case "mode" -> PropertyType.ENUM;
        case "open" -> PropertyType.BOOL;
        case "firmware" -> PropertyType.STRING;
        default -> PropertyType.FLOAT;
      }, written::add);

  @Test
  void atMostOneWritePerIntervalAndTheLatestWaitingOneIsKept() {
    recorder.accept(p("power_w", 0, 100));
    recorder.accept(p("power_w", 2, 150));
    recorder.accept(p("power_w", 3, 180));
    recorder.tick(T0.plusSeconds(9));
    assertEquals(List.of(100.0), values());
    // the interval has passed: the latest waiting point goes, with its own time
    recorder.tick(T0.plusSeconds(10));
    assertEquals(List.of(100.0, 180.0), values());
    assertEquals(T0.plusSeconds(3), written.get(1).ts());
    // the next one waits for 10 s after that write (at 10 s), not after its time (3 s)
    recorder.accept(p("power_w", 14, 200));
    assertEquals(2, written.size());
    recorder.accept(p("power_w", 21, 210));
    assertEquals(List.of(100.0, 180.0, 210.0), values());
    // other properties have their own interval
    recorder.accept(p("voltage", 21, 230));
    assertEquals(4, written.size());
  }

  @Test
  void deadbandDropsSmallMovesAndAWaitingPointWhenTheValueComesBack() {
    recorder.accept(p("temperature", 0, 20.0));
    recorder.accept(p("temperature", 20, 20.05)); // within 0.1 of 20.0
    assertEquals(List.of(20.0), values());
    recorder.accept(p("temperature", 30, 20.5));
    recorder.accept(p("temperature", 31, 20.6)); // waits: 1 s after the last write
    recorder.accept(p("temperature", 32, 20.55));
    recorder.accept(p("temperature", 33, 20.52)); // back within the band of 20.5: nothing waits
    recorder.tick(T0.plusSeconds(60));
    assertEquals(List.of(20.0, 20.5), values());
  }

  @Test
  void stringsOnlyForEnumsAndBooleansAndEnumsOnEveryChange() {
    recorder.accept(HistoryPoint.label("d", "firmware", T0, "1.2.3"));
    recorder.accept(HistoryPoint.label("d", "mode", T0, "heat"));
    recorder.accept(HistoryPoint.label("d", "mode", T0.plusSeconds(1), "cool"));
    // the firmware string is not kept; every change of an enum or a boolean is written at once, whatever the interval
    assertEquals(List.of("heat", "cool"), written.stream().map(HistoryPoint::label).toList());
    recorder.accept(p("open", 0, 1));
    recorder.accept(p("open", 2, 0));
    recorder.accept(p("open", 3, 1));
    assertEquals(5, written.size());
  }

  @Test
  void flushWritesWhatWaits() {
    recorder.accept(p("power_w", 0, 100));
    recorder.accept(p("power_w", 1, 150));
    recorder.flush();
    assertEquals(List.of(100.0, 150.0), values());
  }

  private static HistoryPoint p(String property, long second, double value) {
    return new HistoryPoint("d", property, T0.plusSeconds(second), value);
  }

  private List<Double> values() {
    return written.stream().map(HistoryPoint::value).toList();
  }
}
