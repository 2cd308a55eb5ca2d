package dev.ordinal.bench;

import dev.ordinal.binding.BindingDecision;
import dev.ordinal.binding.ClaimBinder;
import dev.ordinal.binding.VolumeIndex;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Plans N claims against N volumes (docs/benchmarks.md). Each invocation is one whole plan, so
 * the mode is single-shot: the time of one plan, index build included. {@link
 * RunBinderBenchmarks} runs this with fewer iterations for the linear scan at 100,000, which
 * takes tens of seconds per plan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class BinderBenchmark {
  /** Claims sampled for the equivalence check (all claims when N is smaller). */
  static final int CHECKED_CLAIMS = 1_000;

  @Param({"1000", "10000", "100000"})
  public int n;

  BenchData data;

  @Setup(Level.Trial)
  public void setUp() {
    data = BenchData.generate(n, 42);
    // Not timed: on a sample, both matchers must choose the same volume for every claim.
    EquivalenceCheck.verify(data, CHECKED_CLAIMS);
  }

  /** The operator's binder: build the index, then decide every claim. */
  @Benchmark
  public List<BindingDecision> indexedBinder() {
    VolumeIndex index = VolumeIndex.of(data.volumes());
    return new ClaimBinder(data.classes(), Map.of()).decide(data.claims(), index);
  }

  /**
   * The linear scan's first {@link #CHECKED_CLAIMS} claims against all N volumes: at N=100,000
   * a full linear plan (10^10 checks) takes minutes on a shared machine, so the runner reports
   * this time x N/1,000 as the extrapolated full plan (clearly marked as such).
   */
  @Benchmark
  public List<String> linearScanSample() {
    return LinearScanMatcher.match(data.volumes(), data.claims().subList(0, Math.min(CHECKED_CLAIMS, n)));
  }

  /** For comparison: every claim scans every volume. */
  @Benchmark
  public List<String> linearScan() {
    return LinearScanMatcher.match(data.volumes(), data.claims());
  }
}
