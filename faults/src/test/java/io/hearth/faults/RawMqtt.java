package io.hearth.faults;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare MQTT 3.1.1 publisher written byte by byte: it sends what it is told, however large, where a
 * real client library would refuse a packet over the broker's announced maximum. One connection per
 * publish (CONNECT, CONNACK, PUBLISH QoS 0, DISCONNECT).
 */
final class RawMqtt {
  private RawMqtt() {}

  /** Publishes once; returns normally even when the broker cuts the connection for the packet. */
  static void publish(int port, String clientId, String user, String password, String topic, byte[] payload,
      boolean retain) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream connect = new ByteArrayOutputStream();
      string(connect, "MQTT");
      connect.write(4); // 3.1.1
      connect.write(0xC2); // user name, password, clean session
      connect.write(0);
      connect.write(60); // keep-alive
      string(connect, clientId);
      string(connect, user);
      string(connect, password);
      packet(out, 0x10, connect.toByteArray());
      byte[] connack = new byte[4];
      new DataInputStream(s.getInputStream()).readFully(connack);
      if (connack[0] != 0x20 || connack[3] != 0) {
        throw new IOException("CONNACK refused: return code " + connack[3]);
      }
      ByteArrayOutputStream publish = new ByteArrayOutputStream();
      string(publish, topic);
      publish.write(payload);
      try {
        packet(out, retain ? 0x31 : 0x30, publish.toByteArray());
        packet(out, 0xE0, new byte[0]);
      } catch (IOException cut) {
        // the broker closed the connection over the packet: that is one of the outcomes under test
      }
    }
  }

  private static void packet(OutputStream out, int type, byte[] body) throws IOException {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(type);
    int len = body.length;
    do {
      int b = len % 128;
      len /= 128;
      p.write(len > 0 ? b | 0x80 : b);
    } while (len > 0);
    p.write(body);
    out.write(p.toByteArray());
    out.flush();
  }

  private static void string(ByteArrayOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.write(b);
  }
}
