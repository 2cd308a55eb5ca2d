package dev.ordinal.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link BinderBenchmark} in one go and prints the comparison (docs/benchmarks.md):
 *
 * <ul>
 *   <li>indexedBinder at every N: the annotations' warm-up and measurement iterations;
 *   <li>linearScan below 100,000: the same;
 *   <li>linearScan at 100,000: measured for real (all 100,000 claims against all 100,000
 *       volumes, not extrapolated), without warm-up iterations and {@code
 *       -Dbench.linear100k.iterations} (default 2) single shots, since one shot takes tens of
 *       seconds; the JIT compiles the scan loop (on-stack replacement) within its first
 *       milliseconds.
 * </ul>
 *
 * {@code -Dbench.n=1000,10000} restricts the sizes, for a quick run.
 */
public final class RunBinderBenchmarks {
  static final int LARGE = 100_000;

  private RunBinderBenchmarks() {}

  public static void main(String[] args) throws RunnerException {
    List<String> sizes = Arrays.asList(System.getProperty("bench.n", "1000,10000,100000").split(","));
    int largeIterations = Integer.getInteger("bench.linear100k.iterations", 2);
    String benchmark = "\\." + BinderBenchmark.class.getSimpleName() + "\\.";

    List<RunResult> results = new ArrayList<>();
    results.addAll(run(new OptionsBuilder()
        .include(benchmark + "indexedBinder$")
        .param("n", sizes.toArray(String[]::new))
        .build()));
    String[] small = sizes.stream().filter(s -> Integer.parseInt(s) < LARGE).toArray(String[]::new);
    if (small.length > 0) {
      results.addAll(run(new OptionsBuilder().include(benchmark + "linearScan$").param("n", small).build()));
    }
    String[] large = sizes.stream().filter(s -> Integer.parseInt(s) >= LARGE).toArray(String[]::new);
    if (large.length > 0) {
      results.addAll(run(new OptionsBuilder()
          .include(benchmark + "linearScan$")
          .param("n", large)
          .warmupIterations(0)
          .measurementIterations(largeIterations)
          .build()));
    }
    System.out.println(summary(results));
  }

  private static Collection<RunResult> run(Options options) throws RunnerException {
    return new Runner(options).run();
  }

  /** A Markdown table: median ms per plan of each matcher at each N, and their ratio. */
  static String summary(List<RunResult> results) {
    Map<Integer, double[]> byN = new TreeMap<>(); // n -> {indexed median, linear median, indexed n, linear n}
    for (RunResult result : results) {
      int n = Integer.parseInt(result.getParams().getParam("n"));
      var stats = result.getPrimaryResult().getStatistics();
      double[] row = byN.computeIfAbsent(n, k -> new double[] {Double.NaN, Double.NaN, 0, 0});
      int column = result.getParams().getBenchmark().endsWith("indexedBinder") ? 0 : 1;
      row[column] = stats.getN() == 1 ? stats.getMean() : stats.getPercentile(50);
      row[column + 2] = stats.getN();
    }
    StringBuilder out = new StringBuilder("\nBinder plan, N claims against N volumes (median ms per plan)\n\n");
    out.append("| N | indexed binder (ms) | shots | linear scan (ms) | shots | linear / indexed |\n");
    out.append("|---:|---:|---:|---:|---:|---:|\n");
    byN.forEach((n, row) -> out.append(String.format(Locale.ROOT, "| %,d | %.2f | %d | %.1f | %d | %.0fx |%n",
        n, row[0], (int) row[2], row[1], (int) row[3], row[1] / row[0])));
    double[] large = byN.get(LARGE);
    if (large != null) {
      out.append(String.format(Locale.ROOT, "%nTarget 100,000 x 100,000 under 2 s: %s (%.0f ms)%n",
          large[0] < 2000 ? "MET" : "NOT MET", large[0]));
      out.append(String.format(Locale.ROOT, "Target at least 100x faster than the linear scan: %s (%.0fx)%n",
          large[1] / large[0] >= 100 ? "MET" : "NOT MET", large[1] / large[0]));
    }
    return out.toString();
  }
}
