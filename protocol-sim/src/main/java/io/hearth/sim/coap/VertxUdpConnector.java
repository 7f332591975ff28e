package io.hearth.sim.coap;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.EndpointContextMatcher;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.RawDataChannel;
import org.eclipse.californium.elements.UdpEndpointContext;
import org.eclipse.californium.elements.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Californium {@link Connector} on a Vert.x (Netty) datagram socket: a device's UDP traffic rides
 * the simulator's shared event loops instead of the two threads per endpoint of Californium's
 * {@code UDPConnector}. It is also where CoAP packet loss is played: each datagram, in or out, is
 * lost with the probability the device's faults give at that moment. A lost outgoing datagram is
 * reported to Californium as sent (it left, then vanished), so retransmission works as on a lossy
 * network. The receive handler only hands the datagram to the endpoint, which moves it to its own
 * protocol executor at once.
 */
final class VertxUdpConnector implements Connector {

  private static final Logger LOG = LoggerFactory.getLogger(VertxUdpConnector.class);
  private static final long BIND_SECONDS = 10;

  private final Vertx vertx;
  private final InetSocketAddress bindAddress;
  private final DoubleSupplier loss;
  private final String deviceId;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedIn = new AtomicLong();
  private volatile RawDataChannel receiver;
  private volatile EndpointContextMatcher matcher;
  private volatile DatagramSocket socket;
  private volatile InetSocketAddress effective;
  private volatile boolean running;

  /**
   * @param bindAddress where to listen; port 0 lets the OS choose
   * @param loss        current packet-loss probability, read for every datagram
   */
  VertxUdpConnector(Vertx vertx, InetSocketAddress bindAddress, DoubleSupplier loss, String deviceId) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    this.loss = Objects.requireNonNull(loss, "loss");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.effective = bindAddress;
  }

  /** Binds the socket; blocks up to 10 s, so never call it on an event loop. */
  @Override
  public synchronized void start() throws IOException {
    if (running) {
      return;
    }
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException("start() would block an event loop");
    }
    DatagramSocket s = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(false));
    s.handler(this::onPacket);
    try {
      s.listen(bindAddress.getPort(), bindAddress.getAddress().getHostAddress())
          .toCompletionStage().toCompletableFuture().get(BIND_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while binding " + bindAddress);
    } catch (ExecutionException | TimeoutException e) {
      s.close();
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot listen on udp " + bindAddress.getAddress().getHostAddress() + ":"
          + bindAddress.getPort() + ": " + cause.getMessage(), cause);
    }
    socket = s;
    effective = new InetSocketAddress(bindAddress.getAddress(), s.localAddress().port());
    running = true;
    LOG.debug("udp listening [device: {}, address: {}]", deviceId, effective);
  }

  /** Closes the socket and waits (up to 10 s) until the port is free again. */
  @Override
  public synchronized void stop() {
    running = false;
    DatagramSocket s = socket;
    socket = null;
    if (s == null) {
      return;
    }
    try {
      s.close().toCompletionStage().toCompletableFuture().get(BIND_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("udp close failed [device: {}]: {}", deviceId, e.toString());
    }
  }

  @Override
  public void destroy() {
    stop();
  }

  @Override
  public void send(RawData msg) {
    DatagramSocket s = socket;
    if (!running || s == null) {
      msg.onError(new InterruptedIOException("connector is not running"));
      return;
    }
    InetSocketAddress destination = msg.getEndpointContext().getPeerAddress();
    EndpointContext connectionContext = new UdpEndpointContext(destination);
    EndpointContextMatcher m = matcher;
    if (m != null && !m.isToBeSent(msg.getEndpointContext(), connectionContext)) {
      msg.onError(new IOException("endpoint context mismatch"));
      return;
    }
    msg.onContextEstablished(connectionContext);
    if (lost()) {
      LOG.debug("datagram lost [device: {}, direction: out, to: {}, bytes: {}]", deviceId, destination,
          msg.getSize());
      msg.onSent();
      return;
    }
    s.send(Buffer.buffer(msg.getBytes()), destination.getPort(), destination.getAddress().getHostAddress())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            sent.incrementAndGet();
            msg.onSent();
          } else {
            msg.onError(ar.cause());
          }
        });
  }

  private void onPacket(DatagramPacket packet) {
    try {
      received.incrementAndGet();
      if (lost()) {
        droppedIn.incrementAndGet();
        LOG.debug("datagram lost [device: {}, direction: in, from: {}]", deviceId, packet.sender());
        return;
      }
      RawDataChannel r = receiver;
      if (!running || r == null) {
        return;
      }
      InetSocketAddress from = new InetSocketAddress(InetAddress.getByName(packet.sender().host()),
          packet.sender().port());
      r.receiveData(RawData.inbound(packet.data().getBytes(), new UdpEndpointContext(from), false,
          ClockUtil.nanoRealtime(), effective));
    } catch (IOException | RuntimeException e) {
      LOG.debug("datagram not accepted [device: {}]: {}", deviceId, e.toString());
    }
  }

  private boolean lost() {
    double p = loss.getAsDouble();
    if (p > 0 && ThreadLocalRandom.current().nextDouble() < p) {
      dropped.incrementAndGet();
      return true;
    }
    return false;
  }

  /** Feeds a datagram as if received (Californium's test hook). */
  @Override
  public void processDatagram(java.net.DatagramPacket datagram) {
    RawDataChannel r = receiver;
    if (r != null) {
      byte[] bytes = java.util.Arrays.copyOfRange(datagram.getData(), datagram.getOffset(),
          datagram.getOffset() + datagram.getLength());
      r.receiveData(RawData.inbound(bytes, new UdpEndpointContext(
          (InetSocketAddress) datagram.getSocketAddress()), false, ClockUtil.nanoRealtime(), effective));
    }
  }

  @Override
  public void setRawDataReceiver(RawDataChannel messageHandler) {
    this.receiver = messageHandler;
  }

  @Override
  public void setEndpointContextMatcher(EndpointContextMatcher endpointContextMatcher) {
    this.matcher = endpointContextMatcher;
  }

  @Override
  public InetSocketAddress getAddress() {
    return effective;
  }

  @Override
  public String getProtocol() {
    return "UDP";
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Datagrams that arrived at the socket (lost ones included). */
  long received() {
    return received.get();
  }

  /** Datagrams handed to Californium (received and not lost). */
  long delivered() {
    return received.get() - droppedIn.get();
  }

  /** Datagrams the socket sent (lost ones excluded). */
  long sent() {
    return sent.get();
  }

  /** Datagrams lost by the packet-loss fault, both directions. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public String toString() {
    return "UDP-" + effective;
  }
}
