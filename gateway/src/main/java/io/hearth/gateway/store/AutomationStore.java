package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;

/**
 * The automations created through the API and the record of their runs (docs/automations.md,
 * docs/storage.md), as stored (see {@link Store}: blocking, one caller at a time). Rules of the
 * automations file are not stored (the file is read at each start); their runs are.
 */
public interface AutomationStore {

  /**
   * A rule as stored.
   *
   * @param id         the automation's id
   * @param definition the rule as JSON (docs/automations.md, "Rule")
   * @param enabled    whether its triggers are armed
   */
  record StoredAutomation(String id, String definition, boolean enabled) {
  }

  /** Every stored rule, in creation order. */
  List<StoredAutomation> load();

  /** Adds or replaces a rule (by id). */
  void upsert(StoredAutomation automation);

  /** Removes a rule and its runs; nothing if there is none. */
  void delete(String automationId);

  /** Adds or replaces a run record (by run id); not synced on its own (docs/storage.md#durability). */
  void saveRun(RunRecord run);

  /** The newest runs of one automation, newest first, at most {@code limit}. */
  List<RunRecord> runs(String automationId, int limit);

  /**
   * Ends every run still recorded as {@code running} (the gateway stopped or crashed during it) as
   * {@code interrupted} at {@code now}; returns how many.
   */
  int interruptRunning(Instant now);

  /** Deletes the runs that ended before {@code before}; returns how many. */
  int purgeRuns(Instant before);
}
