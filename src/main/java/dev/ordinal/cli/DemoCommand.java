package dev.ordinal.cli;

import dev.ordinal.sandbox.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the tutorials' walkthrough in a sandbox of its own and checks each step; exit code 0 when all held. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs the StatefulSet tutorial walkthrough in the sandbox (a simulation, not a cluster) and checks each step.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--log-level", defaultValue = "warn", description = "Level of the operator's own logs (default ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    LogSettings.apply("text", logLevel);
    LogSettings.quietenUnstableVersionWarning();
    return Demo.runInOwnSandbox(System.out);
  }
}
