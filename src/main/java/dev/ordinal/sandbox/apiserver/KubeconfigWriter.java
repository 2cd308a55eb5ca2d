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
    String yaml = kubeconfig(serverUrl,
        "\n    certificate-authority-data: " + b64.encodeToString(certificateAuthority),
        "\n    client-certificate-data: " + b64.encodeToString(clientCertificate)
            + "\n    client-key-data: " + b64.encodeToString(clientKey));
    return ownerOnly(writeFile(file, yaml));
  }

  private static Path ownerOnly(Path written) {
    try {
      Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: leave the permissions as they are
    }
    return written;
  }

  /**
   * A kubeconfig for a real API server at {@code serverUrl} that authenticates with a bearer token
   * (a ServiceAccount's): the operator as the chart runs it, in a process of its own. Readable by
   * its owner only (it holds the token).
   */
  public static Path writeToken(Path file, String serverUrl, byte[] certificateAuthority, String token) {
    String yaml = kubeconfig(serverUrl,
        "\n    certificate-authority-data: " + java.util.Base64.getEncoder().encodeToString(certificateAuthority),
        "\n    token: " + token);
    return ownerOnly(writeFile(file, yaml));
  }

  public static Path write(Path file, String serverUrl) {
    return writeFile(file, kubeconfig(serverUrl, "", " {}"));
  }

  /** One cluster, user and context named {@link #CONTEXT}; {@code userFields} follows "user:". */
  private static String kubeconfig(String serverUrl, String clusterFields, String userFields) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s%3$s
        users:
        - name: %1$s
          user:%4$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: default
        current-context: %1$s
        preferences: {}
        """.formatted(CONTEXT, serverUrl, clusterFields, userFields);
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
