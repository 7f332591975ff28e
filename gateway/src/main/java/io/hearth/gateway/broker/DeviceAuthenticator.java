package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hearth.adapter.mqtt.TopicPermissions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every CONNECT against the {@link BrokerAuthorizer} and gives the client its topic
 * permissions (docs/broker.md). Subscriptions are HiveMQ's default permissions: every filter not
 * explicitly allowed is refused in the SUBACK. PUBLISH is allowed there and checked per connection
 * by {@link ClientPublishAcl}, which drops instead of disconnecting; the publish ACL and the user
 * name go into the connection's attribute store for it ({@link #publishAcl}, {@link #user}). The
 * will topic is checked here: a will outside the ACL refuses the CONNECT. Clients without a user
 * name are anonymous: admitted with full access when {@code allowAnonymous} (development only),
 * refused otherwise; the authorizer is not consulted for them. Every refusal is logged with its
 * reason. Runs on HiveMQ's threads.
 */
final class DeviceAuthenticator implements SimpleAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(DeviceAuthenticator.class);
  private static final String ACL_ATTRIBUTE = "io.hearth.broker.publish-acl";
  private static final String USER_ATTRIBUTE = "io.hearth.broker.user";

  private final BrokerAuthorizer authorizer;
  private final boolean allowAnonymous;
  private final BrokerStats stats;

  DeviceAuthenticator(BrokerAuthorizer authorizer, boolean allowAnonymous, BrokerStats stats) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.allowAnonymous = allowAnonymous;
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  /** The publish ACL this connection was admitted with; empty for an anonymous client. */
  static Optional<TopicAcl> publishAcl(ConnectionAttributeStore attributes) {
    return attributes.getAsString(ACL_ATTRIBUTE, StandardCharsets.UTF_8).map(TopicAcl::decode);
  }

  /** The user name this connection was admitted with. */
  static String user(ConnectionAttributeStore attributes) {
    return attributes.getAsString(USER_ATTRIBUTE, StandardCharsets.UTF_8).orElse("");
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    ConnectPacket connect = input.getConnectPacket();
    String clientId = connect.getClientId();
    Optional<String> username = connect.getUserName();
    if (username.isEmpty()) {
      admitAnonymous(clientId, output);
      return;
    }
    byte[] password = connect.getPassword().map(DeviceAuthenticator::bytes).orElse(null);
    Optional<TopicPermissions> permissions;
    try {
      permissions = authorizer.authorize(clientId, username.get(), password);
    } catch (RuntimeException e) {
      log.error("authorizer failed, connection refused [client: {}, user: {}]", clientId,
          username.get(), e);
      stats.connectionRefused();
      output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "authorization failed");
      return;
    } finally {
      if (password != null) {
        Arrays.fill(password, (byte) 0);
      }
    }
    if (permissions == null || permissions.isEmpty()) {
      log.info("connection refused: bad user name or password [client: {}, user: {}]", clientId,
          username.get());
      stats.connectionRefused();
      output.failAuthentication(
          ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
      return;
    }
    TopicPermissions granted = TopicAcl.forClient(permissions.get(), clientId);
    List<TopicPermission> allowed;
    try {
      allowed = toHiveMq(granted);
    } catch (IllegalArgumentException e) {
      log.error("invalid topic permission, connection refused [client: {}, user: {}]: {}",
          clientId, username.get(), e.getMessage());
      stats.connectionRefused();
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "invalid permissions");
      return;
    }
    TopicAcl publishAcl = TopicAcl.of(granted.publish());
    Optional<String> will = connect.getWillPublish().map(w -> w.getTopic());
    if (will.isPresent() && !publishAcl.allows(will.get())) {
      log.info("connection refused: will topic outside the client's ACL [client: {}, user: {}, will: {}]",
          clientId, username.get(), will.get());
      stats.connectionRefused();
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "will topic not allowed");
      return;
    }
    ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
    attributes.putAsString(USER_ATTRIBUTE, username.get(), StandardCharsets.UTF_8);
    attributes.putAsString(ACL_ATTRIBUTE, publishAcl.encode(), StandardCharsets.UTF_8);
    ModifiableDefaultPermissions defaults = output.getDefaultPermissions();
    defaults.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
    defaults.addAll(allowed);
    output.authenticateSuccessfully();
    log.debug("client admitted [client: {}, user: {}, publish: {}, subscribe: {}]", clientId, username.get(),
        granted.publish(), granted.subscribe());
  }

  private void admitAnonymous(String clientId, SimpleAuthOutput output) {
    if (!allowAnonymous) {
      log.info("connection refused: anonymous (no user name) [client: {}]", clientId);
      stats.connectionRefused();
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "anonymous clients not allowed");
      return;
    }
    output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
    output.authenticateSuccessfully();
    log.debug("anonymous client admitted with full access [client: {}]", clientId);
  }

  /**
   * HiveMQ's default permissions: PUBLISH allowed everywhere ({@link ClientPublishAcl} checks it,
   * dropping rather than disconnecting), one SUBSCRIBE entry per filter, any QoS, retained or not.
   */
  static List<TopicPermission> toHiveMq(TopicPermissions permissions) {
    List<TopicPermission> out = new ArrayList<>();
    out.add(allow("#", TopicPermission.MqttActivity.PUBLISH));
    for (String filter : permissions.publish()) {
      allow(filter, TopicPermission.MqttActivity.PUBLISH); // only to have HiveMQ check the filter
    }
    for (String filter : permissions.subscribe()) {
      out.add(allow(filter, TopicPermission.MqttActivity.SUBSCRIBE));
    }
    return out;
  }

  private static TopicPermission allow(String filter, TopicPermission.MqttActivity activity) {
    return Builders.topicPermission()
        .topicFilter(filter)
        .type(TopicPermission.PermissionType.ALLOW)
        .activity(activity)
        .qos(TopicPermission.Qos.ALL)
        .retain(TopicPermission.Retain.ALL)
        .sharedSubscription(TopicPermission.SharedSubscription.ALL)
        .build();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
