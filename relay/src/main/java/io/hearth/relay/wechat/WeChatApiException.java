package io.hearth.relay.wechat;

/** WeChat answered {@code {"errcode","errmsg"}} with a non-zero errcode. */
public final class WeChatApiException extends RuntimeException {
  private final int errcode;

  public WeChatApiException(int errcode, String errmsg) {
    super("WeChat errcode " + errcode + ": " + errmsg, null, false, false);
    this.errcode = errcode;
  }

  public int errcode() {
    return errcode;
  }
}
