package io.hearth.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback that loses a share of the datagrams in each direction: the gateway talks
 * to {@link #port()}, the relay talks to the device from a socket of its own and sends the device's
 * datagrams back to the last client it heard. The loss is drawn from a seeded {@link Random}, so a
 * run can be repeated.
 */
final class LossyUdpProxy implements AutoCloseable {
  private final DatagramSocket front;
  private final DatagramSocket back;
  private final double loss;
  private final Random random;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile SocketAddress target;
  private volatile SocketAddress client;

  LossyUdpProxy(double loss, long seed) {
    this.loss = loss;
    this.random = new Random(seed);
    try {
      InetAddress lo = InetAddress.getLoopbackAddress();
      front = new DatagramSocket(new InetSocketAddress(lo, 0));
      back = new DatagramSocket(new InetSocketAddress(lo, 0));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    start("udp-proxy-in-" + front.getLocalPort(), front, true);
    start("udp-proxy-out-" + front.getLocalPort(), back, false);
  }

  /** Where the device listens. */
  LossyUdpProxy target(int devicePort) {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), devicePort);
    return this;
  }

  int port() {
    return front.getLocalPort();
  }

  long forwarded() {
    return forwarded.get();
  }

  long dropped() {
    return dropped.get();
  }

  private void start(String name, DatagramSocket from, boolean toDevice) {
    Thread t = new Thread(() -> relay(from, toDevice), name);
    t.setDaemon(true);
    t.start();
  }

  private void relay(DatagramSocket from, boolean toDevice) {
    byte[] buf = new byte[65536];
    while (!from.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        from.receive(p);
        if (toDevice) {
          client = p.getSocketAddress();
        }
        SocketAddress to = toDevice ? target : client;
        if (to == null || lose()) {
          dropped.incrementAndGet();
          continue;
        }
        (toDevice ? back : front).send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), to));
        forwarded.incrementAndGet();
      } catch (IOException e) {
        if (!from.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private boolean lose() {
    synchronized (random) {
      return random.nextDouble() < loss;
    }
  }

  @Override
  public void close() {
    front.close();
    back.close();
  }
}
