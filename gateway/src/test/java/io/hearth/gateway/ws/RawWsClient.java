package io.hearth.gateway.ws;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A bare-socket WebSocket client for the misbehaving clients of the tests: one that stops reading
 * (a tiny receive buffer), one that never answers pings. Reads server frames only when asked.
 */
final class RawWsClient implements AutoCloseable {
  /** What was read: text messages, pings seen, and the close code (or -1). */
  record Read(List<String> texts, int pings, int closeCode) {}

  private final Socket socket = new Socket();
  private final DataInputStream in;
  private final OutputStream out;

  RawWsClient(int port, int receiveBuffer) throws IOException {
    this(port, receiveBuffer, WsProbe.bearer);
  }

  /** A client with this bearer token at the upgrade (null: none, it must send {@code auth}). */
  RawWsClient(int port, int receiveBuffer, String bearer) throws IOException {
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    out.write(("GET " + WsEndpoint.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
        + "\r\nSec-WebSocket-Version: 13\r\n"
        + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout(10_000);
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
  }

  /** Sends one masked text frame (payload < 126 bytes). */
  void sendText(String text) throws IOException {
    sendTextBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked text frame of exactly these bytes, UTF-8 or not (fewer than 65,536). */
  void sendTextBytes(byte[] payload) throws IOException {
    if (payload.length >= 65_536) {
      throw new IllegalArgumentException("messages under 64 KiB only");
    }
    byte[] mask = {1, 2, 3, 4};
    int head = payload.length < 126 ? 2 : 4;
    byte[] frame = new byte[head + 4 + payload.length];
    frame[0] = (byte) 0x81;
    if (payload.length < 126) {
      frame[1] = (byte) (0x80 | payload.length);
    } else {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (payload.length >>> 8);
      frame[3] = (byte) payload.length;
    }
    System.arraycopy(mask, 0, frame, head, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[head + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    out.write(frame);
    out.flush();
  }

  /** Reads frames until the server closes (or {@code deadlineMs} passes: close code -1). */
  Read readUntilClose(long deadlineMs) throws IOException {
    List<String> texts = new ArrayList<>();
    int pings = 0;
    long end = System.currentTimeMillis() + deadlineMs;
    try {
      while (true) {
        socket.setSoTimeout((int) Math.max(1, end - System.currentTimeMillis()));
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        switch (b0 & 0x0f) {
          case 0x1 -> texts.add(new String(payload, StandardCharsets.UTF_8));
          case 0x9 -> pings++;
          case 0x8 -> {
            return new Read(texts, pings, len >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005);
          }
          default -> { }
        }
      }
    } catch (SocketTimeoutException | EOFException e) {
      return new Read(texts, pings, -1);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
