package io.hearth.gateway.broker;

import com.hivemq.extension.sdk.api.interceptor.suback.SubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and counts the topic filters the broker refuses a client. The broker itself decides (the
 * client's default permissions; a refused filter gets a failure code in the SUBACK, the client
 * stays connected); this pairs each SUBSCRIBE with its SUBACK by packet id to name the filter. The
 * first refusal per client and filter is logged at WARN, later ones at DEBUG. One instance per
 * connection; holds only the filters of SUBSCRIBEs not yet answered.
 */
final class SubscriptionAudit implements SubscribeInboundInterceptor, SubackOutboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionAudit.class);
  /** A client cannot have more packet ids in flight than this. */
  private static final int MAX_PENDING = 65_535;

  private final String clientId;
  private final String user;
  private final BrokerStats stats;
  private final FirstSeen warned;
  private final Map<Integer, List<String>> pending = new ConcurrentHashMap<>();

  SubscriptionAudit(String clientId, String user, BrokerStats stats, FirstSeen warned) {
    this.clientId = clientId;
    this.user = user;
    this.stats = stats;
    this.warned = warned;
  }

  @Override
  public void onInboundSubscribe(SubscribeInboundInput input, SubscribeInboundOutput output) {
    if (pending.size() < MAX_PENDING) {
      pending.put(input.getSubscribePacket().getPacketId(),
          input.getSubscribePacket().getSubscriptions().stream().map(Subscription::getTopicFilter).toList());
    }
  }

  @Override
  public void onOutboundSuback(SubackOutboundInput input, SubackOutboundOutput output) {
    List<String> filters = pending.remove(input.getSubackPacket().getPacketIdentifier());
    List<SubackReasonCode> codes = input.getSubackPacket().getReasonCodes();
    for (int i = 0; i < codes.size(); i++) {
      SubackReasonCode code = codes.get(i);
      if (granted(code)) {
        continue;
      }
      stats.subscriptionDenied();
      String filter = filters != null && i < filters.size() ? filters.get(i) : "?";
      if (warned.first("subscribe", clientId, user, filter)) {
        log.warn("subscription refused: {}; logged once per client and filter [client: {}, user: {}, filter: {}]",
            reason(code), clientId, user, filter);
      } else {
        log.debug("subscription refused: {} [client: {}, user: {}, filter: {}]", reason(code), clientId, user, filter);
      }
    }
  }

  private static boolean granted(SubackReasonCode code) {
    return code == SubackReasonCode.GRANTED_QOS_0 || code == SubackReasonCode.GRANTED_QOS_1
        || code == SubackReasonCode.GRANTED_QOS_2;
  }

  private static String reason(SubackReasonCode code) {
    return code == SubackReasonCode.NOT_AUTHORIZED ? "filter outside the client's ACL" : code.name();
  }
}
