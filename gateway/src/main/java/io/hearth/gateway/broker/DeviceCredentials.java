package io.hearth.gateway.broker;

import io.hearth.adapter.mqtt.MqttAccounts;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.TopicPermissions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the embedded broker: the gateway's own client (a secret made at each start, full
 * access) and every MQTT device with credentials in its binding, confined to the topics the MQTT
 * transport grants it ({@link io.hearth.adapter.mqtt.MqttTransport} admits and revokes devices
 * as they are registered and removed). Thread-safe: the broker calls it on its own threads.
 * Passwords are kept only as salted hashes and compared in constant time.
 */
public final class DeviceCredentials implements BrokerAuthorizer, MqttAccounts {
  /** The user name of the gateway's own MQTT client. */
  public static final String GATEWAY_USER = "hearth-gateway";
  /**
   * The prefix of the gateway's own MQTT client id ({@code hearth-gateway-<installation id>}): no
   * other user may take a client id starting with it.
   */
  public static final String GATEWAY_CLIENT_ID = "hearth-gateway";
  private static final TopicPermissions ALL = new TopicPermissions(List.of("#"), List.of("#"));

  private final SecureRandom random = new SecureRandom();
  private final byte[] salt = new byte[16];
  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private final String gatewaySecret;

  private record Grant(String deviceId, byte[] passwordHash, TopicPermissions permissions) {}

  public DeviceCredentials() {
    random.nextBytes(salt);
    gatewaySecret = newSecret();
    grants.put(GATEWAY_USER, new Grant(null, hash(gatewaySecret), ALL));
  }

  /** The secret of the gateway's own client on the embedded broker. */
  public String gatewaySecret() {
    return gatewaySecret;
  }

  /** A fresh random password (URL-safe, 128 bits). */
  public String newSecret() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public String newPassword() {
    return newSecret();
  }

  @Override
  public void admit(String deviceId, MqttBinding.Credentials credentials, TopicPermissions permissions) {
    grants.put(credentials.username(), new Grant(deviceId, hash(credentials.password()), permissions));
  }

  @Override
  public void revoke(String deviceId, String username) {
    grants.computeIfPresent(username, (k, g) -> deviceId.equals(g.deviceId()) ? null : g);
  }

  @Override
  public boolean usernameTaken(String username) {
    return grants.containsKey(username);
  }

  @Override
  public Optional<TopicPermissions> authorize(String clientId, String username, byte[] password) {
    if (username == null || password == null) {
      return Optional.empty();
    }
    Grant g = grants.get(username);
    if (g == null || (clientId != null && clientId.startsWith(GATEWAY_CLIENT_ID) && !GATEWAY_USER.equals(username))) {
      return Optional.empty();
    }
    byte[] given = hash(new String(password, StandardCharsets.UTF_8));
    return MessageDigest.isEqual(given, g.passwordHash) ? Optional.of(g.permissions) : Optional.empty();
  }

  private byte[] hash(String password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      return md.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "DeviceCredentials[users=" + grants.size() + "]";
  }
}
