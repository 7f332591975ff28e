package io.hearth.fuzz;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A blocking, bare-socket WebSocket client (RFC 6455) that sends any bytes as a text message,
 * valid UTF-8 or not, and reads the server's frames one by one.
 */
final class RawWebSocket implements AutoCloseable {
  /** A frame from the server: a text message, or a close with its code (-1 if none). */
  record Frame(String text, int closeCode) {
    boolean isClose() {
      return text == null;
    }
  }

  private final Socket socket = new Socket();
  private final DataInputStream in;
  private final OutputStream out;

  RawWebSocket(int port, String path, String bearer) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
        + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + bearer + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout(10_000);
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
    }
  }

  /** Sends {@code payload} as one masked text frame. */
  void sendText(byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    int n = payload.length;
    byte[] frame = new byte[2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + 4 + n];
    int i = 0;
    frame[i++] = (byte) 0x81;
    if (n < 126) {
      frame[i++] = (byte) (0x80 | n);
    } else if (n < 65536) {
      frame[i++] = (byte) (0x80 | 126);
      frame[i++] = (byte) (n >>> 8);
      frame[i++] = (byte) n;
    } else {
      frame[i++] = (byte) (0x80 | 127);
      for (int s = 56; s >= 0; s -= 8) {
        frame[i++] = (byte) ((long) n >>> s);
      }
    }
    System.arraycopy(mask, 0, frame, i, 4);
    i += 4;
    for (int k = 0; k < n; k++) {
      frame[i + k] = (byte) (payload[k] ^ mask[k & 3]);
    }
    out.write(frame);
    out.flush();
  }

  /**
   * The next text message or close from the server (pings and pongs skipped); a close with code
   * -2 when the connection ended without a close frame.
   *
   * @throws SocketTimeoutException if nothing came within {@code timeoutMs}
   */
  Frame next(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    while (true) {
      int b0;
      try {
        b0 = in.readUnsignedByte();
      } catch (java.io.EOFException e) {
        return new Frame(null, -2);
      }
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      if (len > 16 * 1024 * 1024) {
        throw new IOException("frame of " + len + " bytes");
      }
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      int opcode = b0 & 0x0f;
      if (opcode == 0x8) {
        return new Frame(null, payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1);
      }
      if (opcode == 0x1) {
        return new Frame(new String(payload, StandardCharsets.UTF_8), 0);
      }
      // ping/pong/continuation of nothing we sent: skipped (the gateway only sends whole text messages)
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
