package io.hearth.adapter.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on 127.0.0.1 between a client and a broker that can freeze: every connection open at
 * {@link #freeze()}, and every one accepted while frozen, stops forwarding in both directions but
 * stays open (what a client sees of a SIGSTOPped broker or a black-holed link). After
 * {@link #thaw()} new connections pass again; frozen ones stay frozen. Deterministic, no signals.
 */
final class FreezingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;

  FreezingProxy(int upstreamPort) throws IOException {
    this.upstreamHost = "127.0.0.1";
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "freezing-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String uri() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return links.size();
  }

  void freeze() {
    frozen = true;
    links.forEach(l -> l.frozen.set(true));
  }

  void thaw() {
    frozen = false;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket downstream = server.accept();
        Link link = new Link(downstream, frozen);
        links.add(link);
        if (!link.frozen.get()) {
          link.upstream = new Socket(upstreamHost, upstreamPort);
          pump(link, downstream.getInputStream(), link.upstream.getOutputStream());
          pump(link, link.upstream.getInputStream(), downstream.getOutputStream());
        }
      } catch (IOException e) {
        // closed, or the broker refused: the client sees a dead connection either way
      }
    }
  }

  private static void pump(Link link, InputStream in, OutputStream out) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (!link.frozen.get()) {
            out.write(buf, 0, n);
            out.flush();
          } // frozen: read and swallow, never answer, never close
        }
        if (!link.frozen.get()) {
          link.close();
        }
      } catch (IOException e) {
        if (!link.frozen.get()) {
          link.close();
        }
      }
    }, "freezing-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    links.forEach(Link::close);
  }

  private static final class Link {
    final Socket downstream;
    final AtomicBoolean frozen;
    volatile Socket upstream;

    Link(Socket downstream, boolean frozen) {
      this.downstream = downstream;
      this.frozen = new AtomicBoolean(frozen);
    }

    void close() {
      try {
        downstream.close();
      } catch (IOException ignored) {
        // closing
      }
      Socket u = upstream;
      if (u != null) {
        try {
          u.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }
}
