package io.hearth.sim.support;

import io.hearth.sim.behavior.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last command ids a device executed, for duplicate handling: a duplicate of an answered command
 * gets the first outcome again, a duplicate of one still in progress (reply delay) is dropped. Keeps
 * the newest {@value #REMEMBERED} ids. Confined to the device's context (not thread-safe).
 */
public final class CommandMemory {

  static final int REMEMBERED = 1024;

  /** cid → first outcome; a null value means still in progress. */
  private final Map<String, Outcome> seen = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** True for a new id, now remembered as in progress; false for a duplicate. */
  public boolean begin(String cid) {
    if (seen.containsKey(cid)) {
      return false;
    }
    seen.put(cid, null);
    return true;
  }

  /** The first outcome of a remembered id, or null while it is in progress (or unknown). */
  public Outcome outcome(String cid) {
    return seen.get(cid);
  }

  /** Records the outcome of an executed id. */
  public void finish(String cid, Outcome outcome) {
    seen.put(cid, outcome);
  }
}
