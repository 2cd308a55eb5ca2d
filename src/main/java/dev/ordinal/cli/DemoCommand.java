package dev.ordinal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the demo lands: says so plainly. */
@Command(name = "demo", description = "Runs the StatefulSet tutorial walkthrough in the sandbox and checks each step.")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("demo: not available in this build");
    return 2;
  }
}
