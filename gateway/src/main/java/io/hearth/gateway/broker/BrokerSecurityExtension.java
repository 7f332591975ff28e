package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded extension that makes the broker Hearth's: registers the {@link DeviceAuthenticator}
 * and gives every device connection its own {@link ClientPublishAcl} (ahead of its {@link
 * ClientPublishLimiter}) and {@link SubscriptionAudit}; a client that may publish everywhere (the
 * gateway's own) gets none of them. {@link #isStarted()} lets the broker refuse to run if this never started: HiveMQ
 * embedded admits everyone when no authenticator is registered.
 */
final class BrokerSecurityExtension implements ExtensionMain {

  private static final Logger log = LoggerFactory.getLogger(BrokerSecurityExtension.class);

  private final DeviceAuthenticator authenticator;
  private final BrokerOptions options;
  private final BrokerStats stats;
  private final FirstSeen warned;
  private volatile boolean started;

  /**
   * @param stats  where refusals are counted
   * @param warned which client and topic pairs were already logged at WARN
   */
  BrokerSecurityExtension(BrokerAuthorizer authorizer, BrokerOptions options, BrokerStats stats, FirstSeen warned) {
    this.options = Objects.requireNonNull(options, "options");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.warned = Objects.requireNonNull(warned, "warned");
    this.authenticator = new DeviceAuthenticator(authorizer, options.allowAnonymous(), stats);
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    DisconnectLog disconnects = new DisconnectLog(stats, warned);
    Services.eventRegistry().setClientLifecycleEventListener(providerInput -> disconnects);
    Services.initializerRegistry()
        .setClientInitializer(
            (initInput, context) -> {
              String clientId = initInput.getClientInformation().getClientId();
              ConnectionAttributeStore attributes =
                  initInput.getConnectionInformation().getConnectionAttributeStore();
              Optional<TopicAcl> acl = DeviceAuthenticator.publishAcl(attributes);
              if (acl.isPresent() && acl.get().allowsEverything()) {
                return; // the gateway's own client: no ACL to check, no device limit
              }
              String user = DeviceAuthenticator.user(attributes);
              ClientPublishLimiter limiter = new ClientPublishLimiter(clientId,
                  options.clientIncomingBytesPerSecond(), options.maxPacketSize(), System::nanoTime, stats);
              context.addPublishInboundInterceptor(acl.isPresent()
                  ? new ClientPublishAcl(clientId, user, acl.get(), stats, warned, limiter)
                  : limiter); // anonymous (allowAnonymous): full access, still rate-limited
              SubscriptionAudit audit = new SubscriptionAudit(clientId, user, stats, warned);
              context.addSubscribeInboundInterceptor(audit);
              context.addSubackOutboundInterceptor(audit);
            });
    started = true;
    log.debug("broker security extension started [allowAnonymous: {}]", options.allowAnonymous());
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    started = false;
  }

  boolean isStarted() {
    return started;
  }
}
