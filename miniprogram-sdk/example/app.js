// One client for the whole app: one socket, one token store, one request queue (docs/miniprogram.md).
const { createClient } = require('hearth-miniprogram-sdk');

App({
  globalData: {
    // LAN: the hub's address; through the relay: createClient({ relay: { url: 'https://relay.example.com', hubId } })
    hearth: createClient({ baseUrl: 'http://192.168.1.20:8080' }),
  },
});
