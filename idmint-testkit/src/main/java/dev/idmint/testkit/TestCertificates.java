package dev.idmint.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test, so that no private key is ever committed: a CA ({@link
 * #authority}) that issues server and client certificates with the subject alternative names a test
 * asks for, each written as PEM files (certificate, PKCS#8 key) the way an operator would hand them
 * to a node. EC P-256 keys, valid from an hour ago for a day.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffff_ffffL);

  private TestCertificates() {}

  /** A certificate and its key on disk, and the certificate itself. */
  public record Issued(Path certFile, Path keyFile, X509Certificate certificate) {}

  /** A new self-signed CA named {@code name}. */
  public static Authority authority(String name) {
    KeyPair keys = newKeys();
    X500Name subject = new X500Name("CN=" + name);
    try {
      X509v3CertificateBuilder builder = builder(subject, subject, keys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Authority(subject, keys, sign(builder, keys));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CA that signs certificates for tests. */
  public static final class Authority {
    private final X500Name subject;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private Authority(X500Name subject, KeyPair keys, X509Certificate certificate) {
      this.subject = subject;
      this.keys = keys;
      this.certificate = certificate;
    }

    public X509Certificate certificate() {
      return certificate;
    }

    /** Writes this CA's certificate (no key) as PEM to {@code file} and returns it. */
    public Path writeCertificate(Path file) {
      writePem(file, certificate);
      return file;
    }

    /**
     * A server certificate for {@code names} (DNS names, or IP literals such as {@code 127.0.0.1}),
     * written to {@code dir/<base>.crt} and {@code dir/<base>.key}.
     */
    public Issued server(Path dir, String base, String... names) {
      return issue(dir, base, KeyPurposeId.id_kp_serverAuth, names);
    }

    /** A client certificate with common name {@code name}, for mTLS. */
    public Issued client(Path dir, String base, String name) {
      return issue(dir, base, KeyPurposeId.id_kp_clientAuth, name);
    }

    private Issued issue(Path dir, String base, KeyPurposeId purpose, String... names) {
      KeyPair leaf = newKeys();
      try {
        X509v3CertificateBuilder builder =
            builder(subject, new X500Name("CN=" + (names.length == 0 ? base : names[0])), leaf);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (purpose == KeyPurposeId.id_kp_serverAuth && names.length > 0) {
          List<GeneralName> alternatives = new ArrayList<>();
          for (String name : names) {
            alternatives.add(
                isIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
          }
          builder.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(alternatives.toArray(new GeneralName[0])));
        }
        X509Certificate certificate = sign(builder, keys);
        Files.createDirectories(dir);
        Path certFile = dir.resolve(base + ".crt");
        Path keyFile = dir.resolve(base + ".key");
        writePem(certFile, certificate);
        writePem(keyFile, new JcaPKCS8Generator(leaf.getPrivate(), null));
        return new Issued(certFile, keyFile, certificate);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static boolean isIpLiteral(String name) {
    if (name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      try {
        InetAddress.getByName(name); // a literal: no lookup
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  private static void writePem(Path file, Object object) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
