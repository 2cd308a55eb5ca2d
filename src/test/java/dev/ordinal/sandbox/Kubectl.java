package dev.ordinal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the real kubectl binary from the PATH against a kubeconfig, each call bounded by a timeout. */
final class Kubectl {
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private final Path kubeconfig;
  private final Path workDir;

  Kubectl(Path kubeconfig, Path workDir) {
    this.kubeconfig = kubeconfig;
    this.workDir = workDir;
  }

  static Optional<Path> onPath() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, "kubectl");
      if (!d.isEmpty() && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  Result run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--request-timeout=10s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOME", workDir.toString());
    try {
      Path out = Files.createTempFile(workDir, "out", ".txt");
      Path err = Files.createTempFile(workDir, "err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A long-running kubectl (e.g. {@code get -w}) whose stdout goes to a file; the caller destroys it. */
  record Background(Process process, Path out) {
    String output() {
      try {
        return Files.readString(out, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  Background start(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOME", workDir.toString());
    try {
      Path out = Files.createTempFile(workDir, "bg", ".txt");
      pb.redirectOutput(out.toFile()).redirectErrorStream(true);
      return new Background(pb.start(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs and asserts exit code 0. */
  Result ok(String... args) {
    Result r = run(args);
    assertThat(r.exit()).as("kubectl %s\n%s", String.join(" ", args), r).isZero();
    return r;
  }

  /** Repeats the command until its result satisfies the condition; returns that result. */
  Result until(Duration timeout, Predicate<Result> condition, String... args) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Result last;
    do {
      last = run(args);
      if (condition.test(last)) {
        return last;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("kubectl " + String.join(" ", args) + ": condition not met within " + timeout
        + "; last result:\n" + last);
  }
}
