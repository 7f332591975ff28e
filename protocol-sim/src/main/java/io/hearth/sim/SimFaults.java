package io.hearth.sim;

/**
 * Faults injected into one simulated device; immutable, replace them at runtime with
 * {@link SimDevice#setFaults}.
 *
 * @param replyDelayMs the device waits this long before acting on a command and answering
 * @param dropReplies  probability 0..1 that the confirmation (reply, CoAP response, or the result
 *                     report of conventions without replies) is lost; the command is still applied
 * @param reject       every command is refused ({@code ok:false}, CoAP 4.03) and not applied
 * @param jammed       a lock refuses to move, answers an error and emits {@code jammed}
 * @param packetLoss   CoAP only: probability 0..1 that any one datagram, incoming or outgoing, is
 *                     lost on the device's side
 */
public record SimFaults(long replyDelayMs, double dropReplies, boolean reject, boolean jammed,
    double packetLoss) {

  /** No fault: the device behaves. */
  public static final SimFaults NONE = new SimFaults(0, 0.0, false, false, 0.0);

  public SimFaults {
    if (replyDelayMs < 0) {
      throw new IllegalArgumentException("replyDelayMs must be >= 0");
    }
    if (!(dropReplies >= 0.0 && dropReplies <= 1.0)) {
      throw new IllegalArgumentException("dropReplies must be within 0..1");
    }
    if (!(packetLoss >= 0.0 && packetLoss <= 1.0)) {
      throw new IllegalArgumentException("packetLoss must be within 0..1");
    }
  }

  /** Faults without packet loss (the MQTT-era constructor). */
  public SimFaults(long replyDelayMs, double dropReplies, boolean reject, boolean jammed) {
    this(replyDelayMs, dropReplies, reject, jammed, 0.0);
  }

  public SimFaults withReplyDelayMs(long ms) {
    return new SimFaults(ms, dropReplies, reject, jammed, packetLoss);
  }

  public SimFaults withDropReplies(double probability) {
    return new SimFaults(replyDelayMs, probability, reject, jammed, packetLoss);
  }

  /** Drops every confirmation ({@code true}) or none. */
  public SimFaults withDropReplies(boolean drop) {
    return withDropReplies(drop ? 1.0 : 0.0);
  }

  public SimFaults withReject(boolean r) {
    return new SimFaults(replyDelayMs, dropReplies, r, jammed, packetLoss);
  }

  public SimFaults withJammed(boolean j) {
    return new SimFaults(replyDelayMs, dropReplies, reject, j, packetLoss);
  }

  /** CoAP: loses this fraction (0..1) of the device's incoming and outgoing datagrams. */
  public SimFaults withPacketLoss(double probability) {
    return new SimFaults(replyDelayMs, dropReplies, reject, jammed, probability);
  }
}
