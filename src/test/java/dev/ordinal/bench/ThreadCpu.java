package dev.ordinal.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's live platform threads, grouped by name with the numbers taken out
 * ("ReconcilerExecutor-ordinalset-#", "kubelet-simulator-#", "HttpClient-#-Worker-#"): which part
 * of the test JVM (operator, kubelet simulator, HTTP clients) used it. JIT compiler and GC threads
 * are not Java threads and show only in the process total.
 */
record ThreadCpu(Map<String, Long> nanosByGroup) {
  static ThreadCpu sample() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        byGroup.merge(info.getThreadName().replaceAll("\\d+", "#"), cpu, Long::sum);
      }
    }
    return new ThreadCpu(byGroup);
  }

  ThreadCpu minus(ThreadCpu before) {
    Map<String, Long> diff = new HashMap<>();
    nanosByGroup.forEach((k, v) -> diff.put(k, v - before.nanosByGroup.getOrDefault(k, 0L)));
    return new ThreadCpu(diff);
  }

  /** The {@code top} groups by CPU, "name 1.2 s", and the rest summed. */
  String describe(int top) {
    var sorted = nanosByGroup.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
    String head = sorted.stream().limit(top).map(e -> String.format("%s %.1f s", e.getKey(), e.getValue() / 1e9))
        .collect(Collectors.joining(", "));
    long rest = sorted.stream().skip(top).mapToLong(Map.Entry::getValue).sum();
    long all = sorted.stream().mapToLong(Map.Entry::getValue).sum();
    return head + String.format(", other threads %.1f s; Java threads together %.1f s", rest / 1e9, all / 1e9);
  }
}
