package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a client's PUBLISH outside its {@link TopicAcl} and keeps the client connected, as
 * Mosquitto does: real firmware publishes a little outside any sane ACL (Tasmota's discovery, a Z2M
 * bridge's extras) and must not be kicked for it. One instance per connection.
 *
 * <p>HiveMQ disconnects a client whose PUBLISH its default permissions deny, and also one whose
 * publish an interceptor prevents with a reason code other than SUCCESS under MQTT 3
 * ({@code IncomingPublishHandler.dropMessage}). So MQTT 3 clients get a plain drop (QoS 1/2 still
 * acknowledged) and MQTT 5 clients a PUBACK/PUBREC with NOT_AUTHORIZED; neither is disconnected.
 * The first drop per client, user and topic is logged at WARN, later ones at DEBUG; every drop is
 * counted (docs/broker.md). A publish inside the ACL goes on to {@code next} (the client's
 * {@link ClientPublishLimiter}) in the same call: one interceptor task per PUBLISH, not two.
 */
final class ClientPublishAcl implements PublishInboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(ClientPublishAcl.class);

  private final String clientId;
  private final String user;
  private final TopicAcl acl;
  private final BrokerStats stats;
  private final FirstSeen warned;
  private final PublishInboundInterceptor next;

  ClientPublishAcl(String clientId, String user, TopicAcl acl, BrokerStats stats, FirstSeen warned,
      PublishInboundInterceptor next) {
    this.next = next;
    this.clientId = clientId;
    this.user = user;
    this.acl = acl;
    this.stats = stats;
    this.warned = warned;
  }

  @Override
  public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
    PublishPacket publish = input.getPublishPacket();
    String topic = publish.getTopic();
    if (acl.allows(topic)) {
      next.onInboundPublish(input, output);
      return;
    }
    stats.publishDenied();
    if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
      output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "topic not allowed for this client");
    } else {
      output.preventPublishDelivery(); // anything but SUCCESS makes HiveMQ disconnect an MQTT 3 client
    }
    if (warned.first("publish", clientId, user, topic)) {
      log.warn("publish outside the client's ACL dropped, client kept connected; logged once per client"
              + " and topic [client: {}, user: {}, topic: {}, qos: {}, retain: {}]",
          clientId, user, topic, publish.getQos().getQosNumber(), publish.getRetain());
    } else {
      log.debug("publish outside the client's ACL dropped [client: {}, user: {}, topic: {}]", clientId, user, topic);
    }
  }
}
