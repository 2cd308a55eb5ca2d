package dev.ordinal.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time used by the control plane's processes (this JVM's children, by their command's file name) and by
 * this JVM (the operator, the kubelet simulator and the test's watchers), read before and after
 * a run: which process the machine's cores went to. The machine's other work shows as what is
 * left of cores x wall time.
 */
record ProcessCpu(Map<String, Duration> byProcess) {
  static final String THIS_JVM = "test JVM (kubelet simulator, watchers, and the operator unless in its own process)";
  /** -Dordinal.bench.operatorProcess=true: the operator's JVM, this JVM's only java child. */
  static final String OPERATOR_PROCESS = "operator process";
  private static final java.util.List<String> CONTROL_PLANE = java.util.List.of("kube-apiserver", "etcd", "kube-controller-manager");

  static ProcessCpu sample() {
    Map<String, Duration> cpu = new LinkedHashMap<>();
    for (String name : CONTROL_PLANE) {
      cpu.put(name, Duration.ZERO);
    }
    // This JVM's children only: another control plane on the machine is not ours.
    ProcessHandle.current().descendants().forEach(p -> {
      Optional<String> command = p.info().command();
      if (command.isEmpty()) {
        return;
      }
      String file = command.get().substring(command.get().lastIndexOf('/') + 1);
      if (cpu.containsKey(file)) {
        cpu.merge(file, p.info().totalCpuDuration().orElse(Duration.ZERO), Duration::plus);
      } else if (file.equals("java")) {
        cpu.merge(OPERATOR_PROCESS, p.info().totalCpuDuration().orElse(Duration.ZERO), Duration::plus);
      }
    });
    cpu.put(THIS_JVM, ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
    return new ProcessCpu(cpu);
  }

  ProcessCpu minus(ProcessCpu before) {
    Map<String, Duration> diff = new LinkedHashMap<>();
    byProcess.forEach((k, v) -> diff.put(k, v.minus(before.byProcess.getOrDefault(k, Duration.ZERO))));
    return new ProcessCpu(diff);
  }

  /** "kube-apiserver 41.2 s (0.74 cores), ..." over a wall time of {@code wallNanos}, and their sum. */
  String describe(long wallNanos) {
    StringBuilder sb = new StringBuilder();
    double total = 0;
    for (var e : byProcess.entrySet()) {
      double secs = e.getValue().toNanos() / 1e9;
      total += secs;
      sb.append(sb.isEmpty() ? "" : ", ").append(String.format("%s %.1f s (%.2f cores)", e.getKey(), secs, secs / (wallNanos / 1e9)));
    }
    return sb.append(String.format("; together %.2f of %d cores", total / (wallNanos / 1e9), Runtime.getRuntime().availableProcessors())).toString();
  }
}
