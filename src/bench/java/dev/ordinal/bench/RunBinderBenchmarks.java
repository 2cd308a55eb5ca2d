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
 *   <li>linearScan at 100,000: by default EXTRAPOLATED: {@code linearScanSample} times the
 *       first 1,000 claims against all 100,000 volumes (same warm-up and iterations), and the
 *       table reports that x 100. A real full plan (10^10 checks) took minutes per shot on our
 *       shared machine; {@code -Dbench.linear100k=full} measures it for real instead, without
 *       warm-up and {@code -Dbench.linear100k.iterations} (default 1) single shots (the JIT
 *       compiles the scan loop by on-stack replacement within its first milliseconds).
 * </ul>
 *
 * {@code -Dbench.n=1000,10000} restricts the sizes, for a quick run.
 */
public final class RunBinderBenchmarks {
  static final int LARGE = 100_000;

  private RunBinderBenchmarks() {}

  public static void main(String[] args) throws RunnerException {
    List<String> sizes = Arrays.asList(System.getProperty("bench.n", "1000,10000,100000").split(","));
    boolean largeFull = "full".equals(System.getProperty("bench.linear100k"));
    int largeIterations = Integer.getInteger("bench.linear100k.iterations", 1);
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
    if (large.length > 0 && !largeFull) {
      results.addAll(run(new OptionsBuilder().include(benchmark + "linearScanSample$").param("n", large).build()));
    } else if (large.length > 0) {
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
    java.util.Set<Integer> extrapolated = new java.util.TreeSet<>();
    for (RunResult result : results) {
      int n = Integer.parseInt(result.getParams().getParam("n"));
      var stats = result.getPrimaryResult().getStatistics();
      double[] row = byN.computeIfAbsent(n, k -> new double[] {Double.NaN, Double.NaN, 0, 0});
      String method = result.getParams().getBenchmark();
      int column = method.endsWith("indexedBinder") ? 0 : 1;
      double scale = method.endsWith("linearScanSample") ? n / (double) BinderBenchmark.CHECKED_CLAIMS : 1;
      row[column] = scale * (stats.getN() == 1 ? stats.getMean() : stats.getPercentile(50));
      if (scale != 1) {
        extrapolated.add(n);
      }
      row[column + 2] = stats.getN();
    }
    StringBuilder out = new StringBuilder("\nBinder plan, N claims against N volumes (median ms per plan)\n\n");
    out.append("| N | indexed binder (ms) | shots | linear scan (ms) | shots | linear / indexed |\n");
    out.append("|---:|---:|---:|---:|---:|---:|\n");
    byN.forEach((n, row) -> out.append(String.format(Locale.ROOT, "| %,d | %.2f | %d | %.1f%s | %d | %.0fx |%n",
        n, row[0], (int) row[2], row[1], extrapolated.contains(n) ? " (extrapolated: 1,000 claims x " + (n / 1000) + ")" : "",
        (int) row[3], row[1] / row[0])));
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
