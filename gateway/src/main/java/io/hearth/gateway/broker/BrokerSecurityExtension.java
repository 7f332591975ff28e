package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded extension that makes the broker Hearth's: registers the {@link DeviceAuthenticator}
 * and gives every connection its own {@link ClientPublishLimiter}. {@link #isStarted()} lets the
 * broker refuse to run if this never started: HiveMQ embedded admits everyone when no
 * authenticator is registered.
 */
final class BrokerSecurityExtension implements ExtensionMain {

  private static final Logger log = LoggerFactory.getLogger(BrokerSecurityExtension.class);

  private final DeviceAuthenticator authenticator;
  private final BrokerOptions options;
  private volatile boolean started;

  BrokerSecurityExtension(BrokerAuthorizer authorizer, BrokerOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.authenticator = new DeviceAuthenticator(authorizer, options.allowAnonymous());
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    Services.initializerRegistry()
        .setClientInitializer(
            (initInput, context) -> {
              String clientId = initInput.getClientInformation().getClientId();
              if (!authenticator.isUnlimited(clientId)) {
                context.addPublishInboundInterceptor(new ClientPublishLimiter(clientId,
                    options.clientIncomingBytesPerSecond(), options.maxPacketSize(), System::nanoTime));
              }
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
