package io.hearth.relay.config;

import java.nio.file.Path;

/**
 * The relay's configuration ({@code relay.yaml}), immutable and checked at start by
 * {@link RelayConfigLoader}. Every key, its default and its meaning: {@code docs/relay.md},
 * "Configuration".
 */
public record RelayConfig(Http http, Tls tls, Path dataDir, WeChat wechat, int sessionTtlSeconds, Tunnel tunnel,
    RateLimits rateLimits) {

  /** {@code http.*}: where apps and hubs connect. */
  public record Http(String host, int port, int maxBodyBytes) {}

  /**
   * {@code tls.*}: on by default. Without a key store the relay refuses to start, unless
   * {@code tls.devSelfSigned} (development only) lets it make a self-signed certificate.
   */
  public record Tls(boolean enabled, String keyStore, String password, boolean devSelfSigned) {
    @Override
    public String toString() {
      return "Tls[enabled=" + enabled + ", keyStore=" + keyStore + ", devSelfSigned=" + devSelfSigned + "]";
    }
  }

  /** {@code wechat.*}: the mini-program's credentials and the WeChat API base (a local fake in tests). */
  public record WeChat(String appId, String secret, String apiBase, String alertTemplateId, String alertPage,
      int tokenRefreshMarginSeconds) {
    @Override
    public String toString() { // never the secret
      return "WeChat[appId=" + appId + ", apiBase=" + apiBase + ", alertTemplateId=" + alertTemplateId + "]";
    }
  }

  /**
   * {@code tunnel.*}: the bounds of one hub's tunnel (docs/relay.md, "Flow control").
   *
   * @param maxRequestsPerHub REST requests in flight through one tunnel; more → 503 {@code HUB_BUSY}
   * @param maxStreamsPerHub  app WebSockets through one tunnel; more → 503 {@code HUB_BUSY}
   * @param requestTimeoutMs  a request the hub has not answered by then → 504 {@code HUB_TIMEOUT}
   * @param maxFrameBytes     largest tunnel message (a REST answer with its body)
   * @param streamQueueBytes  bytes queued to one slow app socket before it is closed (1008 overflow)
   * @param idleTimeoutMs     a tunnel silent this long is closed (pinged every third of it)
   */
  public record Tunnel(int maxRequestsPerHub, int maxStreamsPerHub, int requestTimeoutMs, int maxFrameBytes,
      int streamQueueBytes, int idleTimeoutMs) {}

  /** {@code rateLimits.*}: token buckets per WeChat user, per hub and per address for logins. */
  public record RateLimits(int userPerSecond, int userBurst, int hubPerSecond, int hubBurst,
      int loginPerMinutePerAddress, int loginBurstPerAddress) {}
}
