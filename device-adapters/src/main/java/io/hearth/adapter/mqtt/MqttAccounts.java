package io.hearth.adapter.mqtt;

/**
 * The broker's accounts of MQTT devices, as {@link MqttTransport} keeps them up to date: the
 * gateway's embedded broker implements it to authenticate devices and confine each to its own
 * topics. Thread-safe.
 */
public interface MqttAccounts {

  /** A fresh random password for a device registered without credentials. */
  String newPassword();

  /** True if the user name is already used (by another device or reserved by the gateway). */
  boolean usernameTaken(String username);

  /** Lets a device in with these credentials, allowed exactly these topics. */
  void admit(String deviceId, MqttBinding.Credentials credentials, TopicPermissions permissions);

  /** Forgets the device's account (only if the user name is still that device's). */
  void revoke(String deviceId, String username);
}
