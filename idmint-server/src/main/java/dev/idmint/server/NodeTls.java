package dev.idmint.server;

import com.linecorp.armeria.common.TlsKeyPair;
import com.linecorp.armeria.common.TlsProvider;
import com.linecorp.armeria.server.ServerTlsConfig;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.server.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's TLS material, read from the configured PEM files and handed to Armeria as a {@link
 * TlsProvider}, so that new connections get a renewed certificate without a restart: a named thread
 * looks at the files' size and modification time every {@code reload-interval}, and loads them
 * again when they change. A change that does not load (a half-written file, a key that does not
 * match its certificate) is logged once and the certificate in use stays; connections already open
 * keep the certificate they were made with.
 *
 * <p>At start, a file that does not load is an {@link InvalidConfigurationException} naming the
 * setting and the file.
 */
final class NodeTls implements TlsProvider {
  private static final System.Logger LOG = System.getLogger(NodeTls.class.getName());

  /** What one successful read of the files gave. */
  private record Material(
      TlsKeyPair keyPair, List<X509Certificate> clientCas, List<Object> fingerprint) {}

  private final TlsConfig config;
  private volatile Material material;
  private ScheduledExecutorService reloader;
  private List<Object> failedFingerprint;

  private NodeTls(TlsConfig config, Material material) {
    this.config = config;
    this.material = material;
  }

  /**
   * Reads the files once.
   *
   * @throws InvalidConfigurationException naming the file that does not load, and why
   */
  static NodeTls load(TlsConfig config) {
    return new NodeTls(config, read(config));
  }

  /** How Armeria should ask for client certificates. */
  ServerTlsConfig serverTlsConfig() {
    return ServerTlsConfig.builder()
        .clientAuth(config.clientAuth() ? ClientAuth.REQUIRE : ClientAuth.NONE)
        .build();
  }

  /** Starts watching the files; {@link #close()} stops it. */
  synchronized void startReloading() {
    if (reloader != null) {
      return;
    }
    reloader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "idmint-tls-reload");
              t.setDaemon(true);
              return t;
            });
    long interval = config.reloadInterval().toMillis();
    reloader.scheduleWithFixedDelay(
        this::reloadIfChanged, interval, interval, TimeUnit.MILLISECONDS);
  }

  /** Loads the files again when they changed since the last load; true when it swapped them. */
  boolean reloadIfChanged() {
    List<Object> now = fingerprint(config);
    Material current = material;
    if (now.equals(current.fingerprint()) || now.equals(failedFingerprint)) {
      return false;
    }
    try {
      Material next = read(config);
      material = next;
      failedFingerprint = null;
      LOG.log(
          Level.INFO,
          "TLS: loaded a new certificate from {0} ({1}, valid until {2})",
          config.certFile(),
          leaf(next).getSubjectX500Principal().getName(),
          leaf(next).getNotAfter().toInstant());
      return true;
    } catch (RuntimeException e) {
      failedFingerprint = now;
      LOG.log(
          Level.WARNING,
          "TLS: the changed files do not load; still serving the previous certificate: {0}",
          e.getMessage());
      return false;
    }
  }

  @Override
  public TlsKeyPair keyPair(String hostname) {
    return material.keyPair();
  }

  @Override
  public List<X509Certificate> trustedCertificates(String hostname) {
    return material.clientCas();
  }

  @Override
  public boolean autoClose() {
    return false; // the server closes it after Armeria stopped
  }

  @Override
  public synchronized void close() {
    if (reloader != null) {
      reloader.shutdownNow();
      reloader = null;
    }
  }

  private static X509Certificate leaf(Material m) {
    return m.keyPair().certificateChain().get(0);
  }

  private static Material read(TlsConfig config) {
    List<Object> fingerprint = fingerprint(config);
    List<String> problems = new ArrayList<>();
    List<X509Certificate> chain = certificates("tls.cert", config.certFile(), problems);
    List<X509Certificate> clientCas =
        config.clientCaFile() == null
            ? null
            : certificates("tls.client-ca", config.clientCaFile(), problems);
    TlsKeyPair keyPair = null;
    if (chain != null) {
      try {
        keyPair = TlsKeyPair.of(config.keyFile().toFile(), config.certFile().toFile());
      } catch (RuntimeException e) {
        problems.add(
            "tls.key "
                + config.keyFile()
                + " is not a PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY,"
                + " unencrypted): "
                + Main.oneLine(rootCause(e)));
      }
    }
    if (keyPair != null && !matches(keyPair.privateKey(), chain.get(0).getPublicKey())) {
      problems.add(
          "tls.key "
              + config.keyFile()
              + " is not the key of the certificate in tls.cert "
              + config.certFile());
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("TLS configuration", problems);
    }
    return new Material(keyPair, clientCas, fingerprint);
  }

  private static List<X509Certificate> certificates(
      String setting, Path file, List<String> problems) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        problems.add(setting + " " + file + " holds no certificate (PEM, BEGIN CERTIFICATE)");
        return null;
      }
      return List.copyOf(out);
    } catch (CertificateException e) {
      problems.add(
          setting
              + " "
              + file
              + " is not a PEM certificate (BEGIN CERTIFICATE): "
              + Main.oneLine(rootCause(e)));
    } catch (IOException e) {
      problems.add("cannot read " + setting + " " + file + ": " + Main.oneLine(e));
    }
    return null;
  }

  /** Whether {@code key} signs what {@code publicKey} verifies; true when it cannot be told. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return true;
    }
    try {
      byte[] probe = "idmint tls key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      // The PEM reader may hand back a Bouncy Castle key ("ECDSA") the JDK's engines refuse.
      PrivateKey jdkKey =
          java.security.KeyFactory.getInstance(publicKey.getAlgorithm())
              .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(jdkKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<Object> fingerprint(TlsConfig config) {
    List<Object> out = new ArrayList<>();
    for (Path file : new Path[] {config.certFile(), config.keyFile(), config.clientCaFile()}) {
      if (file == null) {
        continue;
      }
      try {
        out.add(Files.getLastModifiedTime(file).toMillis());
        out.add(Files.size(file));
      } catch (IOException e) {
        out.add(Objects.toString(e.getMessage()));
      }
    }
    return out;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
