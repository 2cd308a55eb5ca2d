package dev.ordinal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code run} against a cluster, {@code sandbox} and {@code demo} locally. */
@Command(
    name = "ordinal-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs OrdinalSets: StatefulSet semantics with storage binding that explains itself.",
    subcommands = {RunCommand.class, SandboxCommand.class, DemoCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
