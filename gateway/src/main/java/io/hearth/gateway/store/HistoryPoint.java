package io.hearth.gateway.store;

import java.time.Instant;

/** One recorded value of a numeric or boolean property (booleans as 0/1). */
public record HistoryPoint(String deviceId, String property, Instant ts, double value) {}
