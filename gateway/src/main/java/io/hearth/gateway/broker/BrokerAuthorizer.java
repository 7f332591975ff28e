package io.hearth.gateway.broker;

import io.hearth.adapter.mqtt.TopicPermissions;
import java.util.Optional;

/**
 * Decides who may connect to the embedded broker and which topics they may use. Implemented by
 * the gateway over its device registry.
 */
public interface BrokerAuthorizer {

  /**
   * Called on the broker's own threads for every CONNECT: must be fast, thread-safe and never block.
   *
   * @param username the CONNECT user name, or null (anonymous)
   * @param password the CONNECT password, or null
   * @return the client's permissions, or empty to refuse the connection
   */
  Optional<TopicPermissions> authorize(String clientId, String username, byte[] password);
}
