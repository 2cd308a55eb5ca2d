package dev.ordinal.cli;

import dev.ordinal.sandbox.Sandbox;
import dev.ordinal.sandbox.controlplane.ControlPlane;
import dev.ordinal.sandbox.controlplane.ControlPlaneBinaries;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the operator on a sandbox API server that the user's own kubectl can drive: a real control
 * plane where its binaries can be had, else the embedded fabric8 mock.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = "Runs the operator on a local API server that kubectl can drive: a real control plane (etcd, kube-apiserver,"
        + " kube-controller-manager) where its binaries are found, else the embedded fabric8 mock. Not a production cluster.")
public final class SandboxCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "6443", description = "Port of the API server on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--kubeconfig", defaultValue = "sandbox.kubeconfig", description = "Where to write the kubeconfig (default ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Option(names = "--example", defaultValue = "web",
      description = "Example applied at start: web (examples/pvs.yaml + web.yaml), one-pv-failure, statefulset (a StatefulSet in"
          + " storage mode, examples/statefulset.yaml) or none (default ${DEFAULT-VALUE}).")
  String example;

  @Option(names = "--seconds", description = "Stop after this many seconds (default: run until interrupted).")
  Long seconds;

  @Option(names = "--backend", defaultValue = "auto",
      description = "real (etcd, kube-apiserver, kube-controller-manager from KUBE_API_TEST_DIR or ~/.kubeapitest), mock (the"
          + " embedded fabric8 mock), or auto: real when its binaries are found, else mock (default ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--log-level", defaultValue = "warn", description = "Level of the operator's own logs (default ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    Optional<String> busy = portInUse(port);
    if (busy.isPresent()) {
      spec.commandLine().getErr().println(busy.get());
      spec.commandLine().getErr().flush();
      return 2;
    }
    LogSettings.apply("text", logLevel);
    LogSettings.quietenUnstableVersionWarning();
    LogSettings.quietenKubeApiTestProcessLogs();
    Sandbox.Backend requested;
    try {
      requested = Sandbox.Backend.parse(backend);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("sandbox: " + e.getMessage());
      return 2;
    }
    Optional<Sandbox.Backend> chosen = chooseBackend(requested, spec.commandLine().getErr(), System.out, "sandbox");
    if (chosen.isEmpty()) {
      return 2;
    }
    printBanner(chosen.get());
    Sandbox sandbox;
    try {
      sandbox = Sandbox.start(new Sandbox.Options(port, kubeconfig, example, Duration.ofSeconds(60), requested));
    } catch (IllegalArgumentException | ControlPlane.Unavailable e) {
      System.err.println("sandbox: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      // Someone took the port between the check and the start.
      if (hasCause(e, java.net.BindException.class)) {
        spec.commandLine().getErr().println(portInUseMessage(port));
        return 2;
      }
      if (e instanceof IllegalStateException) {
        // A control-plane process that would not start, a timeout: the message names the log to read.
        System.err.println("sandbox: " + e.getMessage());
        return 1;
      }
      throw e;
    }
    if (sandbox.fallbackReason().isPresent() && chosen.get() == Sandbox.Backend.REAL) {
      // kube-api-test could not download etcd and kube-apiserver after all
      System.out.println(fallbackLine("sandbox", sandbox.fallbackReason().get()));
      printBanner(Sandbox.Backend.MOCK);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      sandbox.close();
      stopped.countDown();
    }, "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.printf("API server %s (%s); example: %s; started in %.1f s.%n", sandbox.url(),
        sandbox.backend() == Sandbox.Backend.REAL ? "real" : "mock", example, sinceJvmStart / 1000.0);
    if ("web".equals(example)) {
      System.out.println("Try: kubectl get ordinalsets,pods,pvc  |  kubectl scale ordinalset web --replicas=3  |  kubectl get events");
    } else if ("statefulset".equals(example)) {
      System.out.println("Try: kubectl get statefulsets,pods,pvc  |  kubectl get pv -l ordinal.dev/example=statefulset  |  kubectl describe statefulset web");
    }
    System.out.println("sandbox ready: export KUBECONFIG=" + sandbox.kubeconfig());
    System.out.flush();
    if (seconds != null) {
      stopped.await(seconds, TimeUnit.SECONDS);
      Runtime.getRuntime().removeShutdownHook(hook);
      sandbox.close();
      System.out.println("sandbox stopped after " + seconds + " s");
    } else {
      stopped.await();
    }
    return 0;
  }

  /**
   * Which backend a run gets, saying so: with {@code auto} and no real control plane, one line on
   * {@code out} naming the reason and what to do; with {@code real} and none, one line on {@code err}
   * and an empty result (exit 2).
   */
  static Optional<Sandbox.Backend> chooseBackend(Sandbox.Backend requested, java.io.PrintWriter err, java.io.PrintStream out,
      String command) {
    if (requested == Sandbox.Backend.MOCK) {
      return Optional.of(Sandbox.Backend.MOCK);
    }
    Optional<String> unavailable = Sandbox.realAvailability();
    if (unavailable.isEmpty()) {
      return Optional.of(Sandbox.Backend.REAL);
    }
    if (requested == Sandbox.Backend.REAL) {
      err.println(command + ": --backend real, but no real control plane can be started here: " + unavailable.get() + "; "
          + Sandbox.REAL_BACKEND_HINT);
      err.flush();
      return Optional.empty();
    }
    out.println(fallbackLine(command, unavailable.get()));
    return Optional.of(Sandbox.Backend.MOCK);
  }

  static String fallbackLine(String command, String reason) {
    return command + ": no real control plane here (" + reason + "), so the embedded fabric8 mock runs instead; "
        + Sandbox.REAL_BACKEND_HINT + ".";
  }

  private static void printBanner(Sandbox.Backend backend) {
    if (backend == Sandbox.Backend.REAL) {
      System.out.println("ordinal-operator sandbox: a real kube-apiserver v" + ControlPlaneBinaries.fromEnvironment().version()
          + " with etcd and kube-controller-manager (PV binder, garbage collector)");
      System.out.println("on this machine, a simulated kubelet (no container ever runs) and the real operator. Not a production cluster.");
    } else {
      System.out.println("ordinal-operator sandbox: a simulation in one JVM, not a Kubernetes cluster. An embedded API server");
      System.out.println("(fabric8 mock), a simulated kubelet (no container ever runs) and the real operator.");
    }
    System.out.flush();
  }

  /** One line naming the port and the flag, instead of a stack trace, when something already listens there. */
  static Optional<String> portInUse(int port) {
    if (port == 0) {
      return Optional.empty();
    }
    try (var socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      return Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.of(portInUseMessage(port));
    }
  }

  static String portInUseMessage(int port) {
    return "sandbox: port " + port + " on 127.0.0.1 is already in use (another sandbox or API server?);"
        + " pick another with --port N, or --port 0 for a free one";
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
