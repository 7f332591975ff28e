package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hearth.adapter.mqtt.TopicPermissions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every CONNECT against the {@link BrokerAuthorizer} and gives the client its topic
 * permissions: everything not explicitly allowed is denied. Clients without a user name are
 * anonymous: admitted with full access when {@code allowAnonymous} (development only), refused
 * otherwise; the authorizer is not consulted for them. Runs on HiveMQ's threads.
 */
final class DeviceAuthenticator implements SimpleAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(DeviceAuthenticator.class);

  private final BrokerAuthorizer authorizer;
  private final boolean allowAnonymous;
  private final java.util.Set<String> unlimitedClients = java.util.concurrent.ConcurrentHashMap.newKeySet();

  DeviceAuthenticator(BrokerAuthorizer authorizer, boolean allowAnonymous) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.allowAnonymous = allowAnonymous;
  }

  /**
   * True if the client last admitted under this id may publish everywhere (the gateway's own
   * client): it is exempt from the per-client publish limit, which is meant for devices.
   */
  boolean isUnlimited(String clientId) {
    return unlimitedClients.contains(clientId);
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
      output.failAuthentication(
          ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
      return;
    }
    List<TopicPermission> allowed;
    try {
      allowed = toHiveMq(permissions.get());
    } catch (IllegalArgumentException e) {
      log.error("invalid topic permission, connection refused [client: {}, user: {}]: {}",
          clientId, username.get(), e.getMessage());
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "invalid permissions");
      return;
    }
    if (permissions.get().publish().contains("#")) {
      unlimitedClients.add(clientId);
    } else {
      unlimitedClients.remove(clientId);
    }
    ModifiableDefaultPermissions defaults = output.getDefaultPermissions();
    defaults.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
    defaults.addAll(allowed);
    output.authenticateSuccessfully();
    log.debug("client admitted [client: {}, user: {}, permissions: {}]", clientId, username.get(),
        allowed.size());
  }

  private void admitAnonymous(String clientId, SimpleAuthOutput output) {
    if (!allowAnonymous) {
      log.info("connection refused: anonymous [client: {}]", clientId);
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "anonymous clients not allowed");
      return;
    }
    unlimitedClients.remove(clientId);
    output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
    output.authenticateSuccessfully();
    log.debug("anonymous client admitted with full access [client: {}]", clientId);
  }

  /** One ALLOW entry per filter, any QoS, retained or not. */
  static List<TopicPermission> toHiveMq(TopicPermissions permissions) {
    List<TopicPermission> out = new ArrayList<>();
    for (String filter : permissions.publish()) {
      out.add(allow(filter, TopicPermission.MqttActivity.PUBLISH));
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
