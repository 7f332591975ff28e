package io.hearth.adapter.coap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.EndpointContextMatcher;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.RawDataChannel;
import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.config.Configuration;

/** A UDP connector for a test device that drops a share of datagrams both ways and records arrivals. */
final class LossyConnector implements Connector {
  private final UDPConnector delegate;
  private final Random random = new Random(7);
  volatile double loss;
  /** System.nanoTime() of every datagram that reached the device (dropped or not). */
  final List<Long> arrivals = new CopyOnWriteArrayList<>();

  LossyConnector(InetSocketAddress address, Configuration config, double loss) {
    this.delegate = new UDPConnector(address, config);
    this.loss = loss;
  }

  private synchronized boolean drop() {
    return random.nextDouble() < loss;
  }

  @Override
  public void start() throws IOException {
    delegate.start();
  }

  @Override
  public void stop() {
    delegate.stop();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public void send(RawData msg) {
    if (drop()) {
      msg.onSent(); // it "left", and was lost on the way
      return;
    }
    delegate.send(msg);
  }

  @Override
  public void setRawDataReceiver(RawDataChannel receiver) {
    delegate.setRawDataReceiver(raw -> {
      arrivals.add(System.nanoTime());
      if (!drop()) {
        receiver.receiveData(raw);
      }
    });
  }

  @Override
  public void setEndpointContextMatcher(EndpointContextMatcher matcher) {
    delegate.setEndpointContextMatcher(matcher);
  }

  @Override
  public InetSocketAddress getAddress() {
    return delegate.getAddress();
  }

  @Override
  public String getProtocol() {
    return delegate.getProtocol();
  }

  @Override
  public boolean isRunning() {
    return delegate.isRunning();
  }

  @Override
  public void processDatagram(DatagramPacket datagram) {
    delegate.processDatagram(datagram);
  }
}
