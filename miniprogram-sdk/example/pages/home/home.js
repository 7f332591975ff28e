// The home page: pairs once, then shows every device live from client.devices and sends commands.
const app = getApp();

Page({
  data: { paired: false, status: 'idle', devices: [], code: '', error: '' },

  onLoad() {
    const client = app.globalData.hearth;
    this.client = client;
    // the store replaces a device's object at each change: hand the list to setData as it is
    this.offChange = client.devices.onChange(() => this.setData({ devices: client.devices.all() }));
    this.offStatus = client.onStatus((status, err) => this.setData({ status: status, error: err ? err.code : '' }));
    this.setData({ paired: client.isPaired(), devices: client.devices.all(), status: client.status });
    if (client.isPaired()) {
      client.connect(); // idempotent: the app keeps one socket whatever the page does
    }
  },

  onUnload() {
    this.offChange();
    this.offStatus();
  },

  onCodeInput(e) {
    this.setData({ code: e.detail.value });
  },

  async onPair() {
    try {
      await this.client.pair(this.data.code, { client: 'Hearth mini-program' });
      this.setData({ paired: true, error: '' });
      this.client.connect();
    } catch (err) {
      this.setData({ error: err.code }); // UNAUTHORIZED: unknown, used or expired code; RATE_LIMITED: wait
    }
  },

  async onToggle(e) {
    const id = e.currentTarget.dataset.id;
    try {
      await this.client.set(id, { power: e.detail.value }); // waits for the device; the store follows by events
    } catch (err) {
      wx.showToast({ title: err.code, icon: 'none' }); // DEVICE_OFFLINE, COMMAND_TIMEOUT, …
    }
  },

  async onBrightness(e) {
    const id = e.currentTarget.dataset.id;
    try {
      // a dragged slider: steps the lamp could not keep up with end `superseded` (200), not errors
      await this.client.set(id, { brightness: e.detail.value });
    } catch (err) {
      wx.showToast({ title: err.code, icon: 'none' });
    }
  },
});
