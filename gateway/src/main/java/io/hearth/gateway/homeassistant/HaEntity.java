package io.hearth.gateway.homeassistant;

import io.hearth.gateway.command.CommandRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Home Assistant component of a Hearth device, as it appears under {@code cmps} in the device's
 * discovery config, with the parsers of its command topics.
 *
 * @param objectId  its key under {@code cmps} and in its command topics
 * @param platform  Home Assistant's platform ({@code light}, {@code switch}, {@code sensor}, …)
 * @param config    the component's options, {@code p} and {@code unique_id} included
 * @param commands  parsers by command kind ({@code ""}: the main {@code command_topic})
 * @param jsonLight true for a light with {@code schema: json}: its state goes on a topic of its own
 *                  in Home Assistant's JSON light shape
 */
record HaEntity(String objectId, String platform, Map<String, Object> config, Map<String, Parser> commands,
    boolean jsonLight) {

  HaEntity {
    Objects.requireNonNull(objectId, "objectId");
    Objects.requireNonNull(platform, "platform");
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    commands = Map.copyOf(commands);
  }

  /** Turns a command payload from Home Assistant into a Hearth command, or refuses it. */
  @FunctionalInterface
  interface Parser {
    /**
     * @throws IllegalArgumentException with a reason fit for a log line when the payload is not one
     *     this component sends
     */
    CommandRequest parse(String payload);
  }
}
