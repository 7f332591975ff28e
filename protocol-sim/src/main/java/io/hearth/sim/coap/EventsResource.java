package io.hearth.sim.coap;

/**
 * {@code /events}: GET/observe the latest device event {@code {"name":…,"data":{…}}}; an empty 2.05
 * before the first event. Listed as {@code rt="hearth.events";obs;ct="50 60"}.
 */
final class EventsResource extends ObservedResource {

  EventsResource(CoapSimDevice device) {
    super("events", "hearth.events", device::lastEvent, () -> 0);
  }
}
