package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why the broker itself dropped a client (docs/broker.md, "Logs and metrics"): a packet over
 * the maximum size, a protocol error, a session taken over. Logged at WARN once per client and
 * reason (then DEBUG) and counted; disconnects the client asked for or a lost connection only at
 * DEBUG. Before, a device sending a too large packet vanished with no line at all. Runs on
 * HiveMQ's threads.
 */
final class DisconnectLog implements ClientLifecycleEventListener {
  private static final Logger log = LoggerFactory.getLogger(DisconnectLog.class);

  private final BrokerStats stats;
  private final FirstSeen warned;

  DisconnectLog(BrokerStats stats, FirstSeen warned) {
    this.stats = Objects.requireNonNull(stats, "stats");
    this.warned = Objects.requireNonNull(warned, "warned");
  }

  @Override
  public void onMqttConnectionStart(ConnectionStartInput input) {
    // connects are logged by the authenticator
  }

  @Override
  public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
    // idem
  }

  @Override
  public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
    String clientId = input.getClientInformation().getClientId();
    String reason = input.getReasonCode().map(Enum::name).orElse("unknown");
    String detail = input.getReasonString().orElse("");
    stats.clientDisconnected();
    if (warned.first("disconnect", clientId, reason)) {
      log.warn("broker disconnected a client [client: {}, reason: {}, detail: {}]", clientId, reason, detail);
    } else {
      log.debug("broker disconnected a client [client: {}, reason: {}, detail: {}]", clientId, reason, detail);
    }
  }

  @Override
  public void onDisconnect(DisconnectEventInput input) {
    log.debug("client gone [client: {}, reason: {}]", input.getClientInformation().getClientId(),
        input.getReasonCode().map(Enum::name).orElse("connection closed"));
  }
}
