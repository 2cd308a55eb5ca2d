package dev.ordinal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the sandbox lands: says so plainly. */
@Command(name = "sandbox", description = "Runs the operator on an embedded API server that kubectl can drive (a simulation, not a cluster).")
public final class SandboxCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("sandbox: not available in this build");
    return 2;
  }
}
