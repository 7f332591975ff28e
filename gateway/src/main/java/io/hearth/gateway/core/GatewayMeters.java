package io.hearth.gateway.core;

import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.store.CommandStatus;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.state.Availability;
import io.hearth.gateway.state.DeviceStates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gateway's own Prometheus meters: devices, availability, commands by outcome, in-flight
 * commands and reports dropped as garbage. Gauges read the core's state when scraped.
 */
public final class GatewayMeters {
  /** Every terminal status, from the enum: a status added there is counted too. */
  private static final Set<String> TERMINAL = java.util.Arrays.stream(CommandStatus.values())
      .filter(CommandStatus::isTerminal).map(CommandStatus::wireName).collect(java.util.stream.Collectors.toSet());

  private GatewayMeters() {}

  /** Registers the meters; returns them so they can be removed when this core stops. */
  public static List<Meter> register(MeterRegistry meters, DeviceRegistry registry, DeviceStates states,
      CommandService commands, GatewayCore core, EventHub events) {
    List<Meter> out = new ArrayList<>();
    out.add(Gauge.builder("hearth_devices", registry, r -> r.all().size())
        .description("registered devices").register(meters));
    out.add(Gauge.builder("hearth_devices_online", registry,
            r -> r.all().stream().filter(d -> states.availability(d.id()) == Availability.ONLINE).count())
        .description("devices currently online").register(meters));
    out.add(Gauge.builder("hearth_commands_in_flight", commands, CommandService::inFlightCount)
        .description("commands accepted and not yet ended").register(meters));
    out.add(Gauge.builder("hearth_device_reports_dropped", core, GatewayCore::malformedReports)
        .description("device reports or values dropped as unusable since start").register(meters));
    for (String status : TERMINAL) {
      Counter c = Counter.builder("hearth_commands").tag("status", status)
          .description("commands ended, by terminal status").register(meters);
      out.add(c);
      events.addListener(e -> {
        if (e.kind().equals(GatewayEvent.COMMAND) && status.equals(e.data().get("status"))) {
          c.increment();
        }
      });
    }
    return out;
  }
}
