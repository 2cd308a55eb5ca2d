package dev.ordinal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `sandbox` on a port that is taken says so in one line, naming the port and --port, with no stack trace. */
class SandboxPortInUseTest {
  @Test
  void aTakenPortIsNamedInOneLineWithThePortFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CommandLine cli = new CommandLine(new Main());
      cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
      cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
      int code = cli.execute("sandbox", "--port", String.valueOf(port), "--example", "none", "--seconds", "1");
      String message = err.toString(StandardCharsets.UTF_8);
      assertThat(code).isEqualTo(2);
      assertThat(message.strip().lines()).hasSize(1);
      assertThat(message).contains("port " + port).contains("already in use").contains("--port");
      assertThat(message).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void aFreePortPassesTheCheck() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    assertThat(SandboxCommand.portInUse(port)).isEmpty();
    assertThat(SandboxCommand.portInUse(0)).isEmpty();
  }
}
