package io.hearth.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Manual scale measurement (not a unit test). Two JVMs, so the broker's memory is not counted:
 * <pre>
 *   java -cp CP io.hearth.sim.ScaleBenchmark broker 18830          # terminal 1
 *   java -cp CP io.hearth.sim.ScaleBenchmark sim tcp://127.0.0.1:18830 10000 2   # terminal 2
 * </pre>
 * The sim mode starts N hearth devices over every built-in profile on T threads and prints the
 * start time, the heap after GC (before and after) and the thread count. The coap mode runs N CoAP
 * devices (ports from BASE, 0 = OS-chosen) in one JVM and GETs /state of every one once:
 * <pre>
 *   java -cp CP io.hearth.sim.ScaleBenchmark coap 1000 20000
 * </pre>
 */
public final class ScaleBenchmark {

  private ScaleBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("broker")) {
      runBroker(Integer.parseInt(args[1]));
    } else if (args.length >= 2 && args[0].equals("coap")) {
      runCoap(Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 0);
    } else if (args.length >= 3 && args[0].equals("sim")) {
      runSim(args[1], Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 2);
    } else {
      System.err.println("usage: ScaleBenchmark broker PORT | sim URL DEVICES [THREADS] | coap DEVICES [BASE_PORT]");
      System.exit(2);
    }
  }

  private static void runBroker(int port) throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(port)) {
      System.out.println("broker up " + broker.url());
      new CountDownLatch(1).await();
    }
  }

  private static void runSim(String url, int n, int threads) throws Exception {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long heapBefore = heapAfterGc(mem);
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    long t0 = System.nanoTime();
    SimOptions options = SimOptions.defaults(url).withThreads(threads).withConnectConcurrency(200)
        .withStartTimeout(Duration.ofMinutes(5));
    try (Simulator sim = Simulator.builder(options).devices(SimDevices.generate(n, List.of()))
        .onProgress((up, total) -> System.out.println("connected " + up + "/" + total)).start()) {
      long startMs = (System.nanoTime() - t0) / 1_000_000;
      long heapAfter = heapAfterGc(mem);
      int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
      System.out.printf("devices=%d threads(sim)=%d start=%d ms heapBefore=%.1f MiB heapAfter=%.1f MiB "
              + "perDevice=%.1f KiB jvmThreadsBefore=%d jvmThreadsAfter=%d%n",
          sim.devices().size(), threads, startMs, heapBefore / 1048576.0, heapAfter / 1048576.0,
          (heapAfter - heapBefore) / 1024.0 / n, threadsBefore, threadsAfter);
      Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
          .forEach(name -> System.out.println("  thread " + name));
    }
  }

  private static void runCoap(int n, int basePort) throws Exception {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long heapBefore = heapAfterGc(mem);
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    long t0 = System.nanoTime();
    SimOptions options = SimOptions.defaults("tcp://127.0.0.1:1").withCoapBasePort(basePort)
        .withStartTimeout(Duration.ofMinutes(5));
    try (Simulator sim = Simulator.builder(options).devices(SimDevices.generate(n, List.of(), "coap"))
        .onProgress((up, total) -> System.out.println("up " + up + "/" + total)).start()) {
      long startMs = (System.nanoTime() - t0) / 1_000_000;
      long heapAfter = heapAfterGc(mem);
      int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
      System.out.printf("coap devices=%d start=%d ms heapBefore=%.1f MiB heapAfter=%.1f MiB perDevice=%.1f KiB "
              + "jvmThreadsBefore=%d jvmThreadsAfter=%d%n",
          sim.devices().size(), startMs, heapBefore / 1048576.0, heapAfter / 1048576.0,
          (heapAfter - heapBefore) / 1024.0 / n, threadsBefore, threadsAfter);
      Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
          .forEach(name -> System.out.println("  thread " + name));
      // every device answers: one GET /state each, 50 in flight, from a separate client endpoint
      try (CoapGatewaySide gw = new CoapGatewaySide(2000, 4)) {
        long g0 = System.nanoTime();
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(50);
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
        for (SimDevice d : sim.devices()) {
          window.acquire();
          org.eclipse.californium.core.coap.Request get = org.eclipse.californium.core.coap.Request.newGet();
          get.setURI(sim.coapDevice(d.id()).uri() + "/state");
          get.addMessageObserver(new org.eclipse.californium.core.coap.MessageObserverAdapter() {
            @Override
            public void onResponse(org.eclipse.californium.core.coap.Response response) {
              if (response.isSuccess()) {
                ok.incrementAndGet();
              }
              window.release();
              done.countDown();
            }

            @Override
            public void onTimeout() {
              window.release();
              done.countDown();
            }
          });
          gw.endpoint().sendRequest(get);
        }
        done.await();
        System.out.printf("GET /state of every device: %d/%d answered in %d ms%n", ok.get(), n,
            (System.nanoTime() - g0) / 1_000_000);
      }
      long c0 = System.nanoTime();
      sim.close();
      System.out.printf("close=%d ms%n", (System.nanoTime() - c0) / 1_000_000);
    }
  }

  private static long heapAfterGc(MemoryMXBean mem) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // benchmark only: let the collector settle between GCs
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
