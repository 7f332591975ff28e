'use strict';

/**
 * Foreground/background as wx reports it (`wx.onAppShow` / `wx.onAppHide`). About 5 s after the
 * app goes to the background wx cuts its requests and sockets; the SDK retries a cut request once
 * the app is shown again and resumes the live connection then.
 */
class Lifecycle {
  constructor(wx) {
    this.hidden = false;
    this.showListeners = [];
    this.hideListeners = [];
    this.waiters = [];
    if (typeof wx.onAppShow === 'function') {
      wx.onAppShow(() => {
        this.hidden = false;
        const waiters = this.waiters;
        this.waiters = [];
        waiters.forEach((w) => w());
        this.showListeners.slice().forEach((fn) => fn());
      });
    }
    if (typeof wx.onAppHide === 'function') {
      wx.onAppHide(() => {
        this.hidden = true;
        this.hideListeners.slice().forEach((fn) => fn());
      });
    }
  }

  onShow(fn) {
    this.showListeners.push(fn);
  }

  onHide(fn) {
    this.hideListeners.push(fn);
  }

  /** Resolves at once in the foreground, else when the app is shown again. */
  visible() {
    if (!this.hidden) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

module.exports = { Lifecycle };
