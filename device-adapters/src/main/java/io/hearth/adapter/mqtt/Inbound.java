package io.hearth.adapter.mqtt;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.StateReport;
import java.util.Objects;

/** What a convention decoded from one inbound MQTT message; the adapter hands it to the sink. */
public sealed interface Inbound {

  /** The device whose topic the message came on. */
  String deviceId();

  /** A (partial or full) state report. */
  record State(StateReport report) implements Inbound {
    public State {
      Objects.requireNonNull(report, "report");
    }

    @Override
    public String deviceId() {
      return report.deviceId();
    }
  }

  /**
   * An availability message.
   *
   * @param reason null when online, else e.g. {@code lwt}
   */
  record Availability(String deviceId, boolean online, String reason) implements Inbound {
    public Availability {
      Objects.requireNonNull(deviceId, "deviceId");
    }
  }

  /** A device's answer to a command. */
  record Reply(CommandReply reply) implements Inbound {
    public Reply {
      Objects.requireNonNull(reply, "reply");
    }

    @Override
    public String deviceId() {
      return reply.deviceId();
    }
  }

  /** A device-emitted event. */
  record Event(DeviceEvent event) implements Inbound {
    public Event {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public String deviceId() {
      return event.deviceId();
    }
  }
}
