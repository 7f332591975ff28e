package io.hearth.sim.mqtt;

import java.util.Map;

/**
 * A message a convention decoded from the device's command topics.
 *
 * @param kind   what it asks
 * @param cid    command id (hearth), or a description of the command for conventions without ids
 * @param name   action name for {@link Kind#ACTION}
 * @param values properties to set, or the action's input
 * @param error  for {@link Kind#INVALID}: why the message cannot be applied
 */
public record Inbound(Kind kind, String cid, String name, Map<String, Object> values, String error) {

  /** Kinds of inbound messages. */
  public enum Kind {
    /** Set properties. */
    SET,
    /** Invoke an action. */
    ACTION,
    /** Asks for the current state (tasmota empty command, zigbee2mqtt get). */
    QUERY,
    /** Understood as a command but not acceptable; answered with an error where possible. */
    INVALID,
    /** Not for this device or not answerable (e.g. no command id): dropped. */
    IGNORE
  }

  public static Inbound set(String cid, Map<String, Object> props) {
    return new Inbound(Kind.SET, cid, null, props, null);
  }

  public static Inbound action(String cid, String name, Map<String, Object> input) {
    return new Inbound(Kind.ACTION, cid, name, input, null);
  }

  public static Inbound query(String cid) {
    return new Inbound(Kind.QUERY, cid, null, Map.of(), null);
  }

  public static Inbound invalid(String cid, String error) {
    return new Inbound(Kind.INVALID, cid, null, Map.of(), error);
  }

  public static Inbound ignore(String why) {
    return new Inbound(Kind.IGNORE, null, null, Map.of(), why);
  }
}
