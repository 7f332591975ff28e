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
 * start time, the heap after GC (before and after) and the thread count.
 */
public final class ScaleBenchmark {

  private ScaleBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("broker")) {
      runBroker(Integer.parseInt(args[1]));
    } else if (args.length >= 3 && args[0].equals("sim")) {
      runSim(args[1], Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 2);
    } else {
      System.err.println("usage: ScaleBenchmark broker PORT | sim URL DEVICES [THREADS]");
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

  private static long heapAfterGc(MemoryMXBean mem) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // benchmark only: let the collector settle between GCs
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
