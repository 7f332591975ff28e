package io.hearth.adapter.coap;

import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.Supports;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One CoAP device convention ({@code hearth}, {@code generic}): the paths the gateway observes,
 * the requests a command becomes, and the payload codecs. Stateless and thread-safe; the adapter
 * owns endpoints, observations and threads. Every CoAP convention confirms by REPLY: the response
 * to the confirmable request is the device's answer.
 */
public interface CoapConvention {

  /** The {@code binding.convention} name. */
  String name();

  /** Uri-Path segments of the observable state resource. */
  List<String> statePath(DeviceDefinition device);

  /** Uri-Path segments of the observable events resource, if the convention has one. */
  Optional<List<String>> eventsPath(DeviceDefinition device);

  /**
   * What this convention can carry for a device of that profile (properties read and set,
   * actions). The default is the whole profile.
   */
  default Supports supports(DeviceDefinition device, Profile profile) {
    return Supports.all(profile);
  }

  /**
   * Encodes a command into the one request to send.
   *
   * @param lastKnown the device's last reported state merged with values commanded since (for
   *                  conventions that replace the whole state)
   * @throws IllegalArgumentException if the convention cannot express the command; the message is
   *     fit for the command's error
   */
  CoapRequestSpec encode(DeviceDefinition device, DeviceCommand command, Map<String, Object> lastKnown);

  /**
   * Decodes a state representation (a notification or a GET response).
   *
   * @throws io.hearth.adapter.payload.MalformedPayloadException on garbage or a wrong content-format
   */
  Map<String, Object> decodeState(byte[] payload, int contentFormat);

  /**
   * Decodes an events representation; empty for an empty payload (no event yet).
   *
   * @throws io.hearth.adapter.payload.MalformedPayloadException on garbage or a wrong content-format
   */
  default Optional<DeviceEvent> decodeEvent(String deviceId, byte[] payload, int contentFormat, Instant receivedAt) {
    return Optional.empty();
  }
}
