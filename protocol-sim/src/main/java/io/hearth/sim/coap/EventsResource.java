package io.hearth.sim.coap;

/**
 * {@code /events}: GET/observe the latest device event {@code {"name":…,"data":{…}}}; an empty 2.05
 * before the first event. Listed as {@code rt="hearth.events";obs;ct="50 60"}.
 */
final class EventsResource extends ObservedResource {

  private final CoapSimDevice device;

  EventsResource(CoapSimDevice device) {
    super("events", "hearth.events");
    this.device = device;
  }

  @Override
  protected Object body() {
    return device.lastEvent();
  }

  @Override
  protected long maxAgeSeconds() {
    return 0;
  }
}
