package dev.ordinal.sandbox.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the sandbox's kubeconfig: for the embedded API server (plain HTTP, no credentials), or for
 * a real kube-apiserver (TLS, the admin's client certificate, everything inlined).
 */
public final class KubeconfigWriter {

  public static final String CONTEXT = "ordinal-sandbox";

  private KubeconfigWriter() {
  }

  /**
   * A kubeconfig for a real API server at {@code serverUrl}: its self-signed serving certificate as
   * the certificate authority, and a client certificate and key, all inlined so that the file
   * stands alone. Readable by its owner only (it holds a private key).
   */
  public static Path writeTls(Path file, String serverUrl, byte[] certificateAuthority, byte[] clientCertificate,
      byte[] clientKey) {
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %1$s
          user:
            client-certificate-data: %4$s
            client-key-data: %5$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: default
        current-context: %1$s
        preferences: {}
        """.formatted(CONTEXT, serverUrl, b64.encodeToString(certificateAuthority), b64.encodeToString(clientCertificate),
        b64.encodeToString(clientKey));
    Path written = writeFile(file, yaml);
    try {
      Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: leave the permissions as they are
    }
    return written;
  }

  public static Path write(Path file, String serverUrl) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user: {}
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: default
        current-context: %1$s
        preferences: {}
        """.formatted(CONTEXT, serverUrl);
    return writeFile(file, yaml);
  }

  private static Path writeFile(Path file, String yaml) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + file, e);
    }
  }
}
