package dev.idmint.client;

import java.nio.file.Path;

/**
 * How the client speaks TLS to the nodes. The node's certificate is always verified, hostname
 * included (the endpoint's host must be a DNS name or IP address in the certificate), for ID calls
 * and health probes alike; there is no switch to turn that off.
 *
 * <pre>{@code
 * TlsOptions.jvmTrustStore()                                  // a public or corporate CA
 * TlsOptions.builder().trustedCertificates(Path.of("ca.pem")).build()   // a private CA
 * TlsOptions.builder()
 *     .trustedCertificates(Path.of("ca.pem"))
 *     .clientCertificate(Path.of("client.crt"), Path.of("client.key"))  // for mTLS nodes
 *     .build()
 * }</pre>
 *
 * Files are PEM: certificates ({@code BEGIN CERTIFICATE}) and an unencrypted PKCS#8 key ({@code
 * BEGIN PRIVATE KEY}; {@code openssl pkcs8 -topk8 -nocrypt} converts others). They are read when
 * the client is built, which reports a file that does not load.
 */
public final class TlsOptions {
  private static final TlsOptions JVM_TRUST_STORE = new TlsOptions(null, null, null);

  private final Path trustedCertificates;
  private final Path clientCertificate;
  private final Path clientKey;

  private TlsOptions(Path trustedCertificates, Path clientCertificate, Path clientKey) {
    this.trustedCertificates = trustedCertificates;
    this.clientCertificate = clientCertificate;
    this.clientKey = clientKey;
  }

  /** Trust the JVM's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
  public static TlsOptions jvmTrustStore() {
    return JVM_TRUST_STORE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The CA certificates (PEM) trusted instead of the JVM's, or null for the JVM's. */
  public Path trustedCertificates() {
    return trustedCertificates;
  }

  /** The client certificate chain (PEM) for nodes that require one, or null. */
  public Path clientCertificate() {
    return clientCertificate;
  }

  /** The private key (PEM, PKCS#8) of {@link #clientCertificate()}, or null. */
  public Path clientKey() {
    return clientKey;
  }

  @Override
  public String toString() {
    return "TlsOptions[trust="
        + (trustedCertificates == null ? "JVM trust store" : trustedCertificates)
        + (clientCertificate == null ? "" : ", clientCertificate=" + clientCertificate)
        + "]";
  }

  /** Collects the files; {@link IdMintClientBuilder#build()} reads and checks them. */
  public static final class Builder {
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;

    private Builder() {}

    /** Trust only the CA certificates in this PEM file (one or more), not the JVM's store. */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = pemFile;
      return this;
    }

    /** Present this certificate chain and key to nodes that ask for one (mTLS). */
    public Builder clientCertificate(Path certificatePemFile, Path keyPemFile) {
      this.clientCertificate = certificatePemFile;
      this.clientKey = keyPemFile;
      return this;
    }

    public TlsOptions build() {
      return new TlsOptions(trustedCertificates, clientCertificate, clientKey);
    }
  }
}
