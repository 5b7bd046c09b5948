package dev.idmint.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * TLS on the service port: the node's certificate chain and private key (PEM files), and optionally
 * a CA whose certificates clients must present (mTLS). The files are read at start and again
 * whenever they change (checked every {@code reloadInterval}); a change that does not load keeps
 * the certificate in use.
 *
 * @param certFile the certificate chain, leaf first (PEM)
 * @param keyFile the private key of the leaf (PEM, PKCS#8 or PKCS#1)
 * @param clientCaFile CA certificates (PEM) that client certificates must chain to, or {@code null}
 *     for no client certificates
 * @param reloadInterval how often the files are checked for a change
 */
public record TlsConfig(Path certFile, Path keyFile, Path clientCaFile, Duration reloadInterval) {
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  /** Whether clients must present a certificate signed by {@link #clientCaFile}. */
  public boolean clientAuth() {
    return clientCaFile != null;
  }

  /**
   * The TLS settings from their sources, or {@code null} for plaintext when neither certificate nor
   * key is given. Adds every problem to {@code problems}, naming the setting and the file.
   */
  static TlsConfig of(
      Path cert, Path key, Path clientCa, Duration reloadInterval, List<String> problems) {
    if (cert == null && key == null) {
      if (clientCa != null) {
        problems.add(
            "tls.client-ca (--tls-client-ca) needs tls.cert and tls.key: client certificates are"
                + " only asked for over TLS");
      }
      return null;
    }
    int before = problems.size();
    if (cert == null) {
      problems.add("tls.key is set but tls.cert (--tls-cert, IDMINT_TLS_CERT) is not");
    }
    if (key == null) {
      problems.add("tls.cert is set but tls.key (--tls-key, IDMINT_TLS_KEY) is not");
    }
    readable("tls.cert", cert, problems);
    readable("tls.key", key, problems);
    readable("tls.client-ca", clientCa, problems);
    if (reloadInterval.toMillis() < 100) {
      problems.add("tls.reload-interval must be at least 100ms: reload-interval=" + reloadInterval);
    }
    return problems.size() == before ? new TlsConfig(cert, key, clientCa, reloadInterval) : null;
  }

  private static void readable(String setting, Path file, List<String> problems) {
    if (file == null) {
      return;
    }
    if (!Files.exists(file)) {
      problems.add(setting + " file not found: " + file);
    } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      problems.add(setting + " is not a readable file: " + file);
    }
  }
}
