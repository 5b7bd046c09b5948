package dev.idmint.client;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client's TLS material, read once when the client is built: one set of trust and key managers
 * behind both the gRPC channels and the health probes, so both verify a node the same way (chain to
 * a trusted CA, and the endpoint's host in the certificate).
 */
final class ClientTls {
  private static final Pattern PEM_KEY =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----([^-]*)-----END");
  private static final char[] NO_PASSWORD = new char[0];

  private final TlsOptions options;
  private final TrustManager[] trustManagers;
  private final KeyManager[] keyManagers;
  private final SSLContext probeContext;

  private ClientTls(
      TlsOptions options,
      TrustManager[] trustManagers,
      KeyManager[] keyManagers,
      SSLContext probeContext) {
    this.options = options;
    this.trustManagers = trustManagers;
    this.keyManagers = keyManagers;
    this.probeContext = probeContext;
  }

  /** Reads {@code options}' files; null, with every problem added to {@code problems}, if not. */
  static ClientTls load(TlsOptions options, List<String> problems) {
    int before = problems.size();
    TrustManager[] trust = trustManagers(options.trustedCertificates(), problems);
    KeyManager[] keys = null;
    if ((options.clientCertificate() == null) != (options.clientKey() == null)) {
      problems.add("tls clientCertificate needs both a certificate file and a key file");
    } else if (options.clientCertificate() != null) {
      keys = keyManagers(options.clientCertificate(), options.clientKey(), problems);
    }
    if (problems.size() != before) {
      return null;
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return new ClientTls(options, trust, keys, context);
    } catch (GeneralSecurityException e) {
      problems.add("tls: no TLS context could be made: " + e.getMessage());
      return null;
    }
  }

  TlsOptions options() {
    return options;
  }

  /** Credentials for a gRPC channel; grpc-java checks the hostname against the certificate. */
  ChannelCredentials channelCredentials() {
    TlsChannelCredentials.Builder builder =
        TlsChannelCredentials.newBuilder().trustManager(trustManagers);
    if (keyManagers != null) {
      builder.keyManager(keyManagers);
    }
    return builder.build();
  }

  /**
   * TLS over the connected {@code socket} for the health probe, with the same checks as the
   * channel: the chain and the hostname ({@code HTTPS} endpoint identification), ALPN http/1.1.
   *
   * @throws javax.net.ssl.SSLException when the node's certificate does not verify
   */
  SSLSocket handshake(Socket socket, ClientConfig.HostAndPort address) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            probeContext
                .getSocketFactory()
                .createSocket(socket, address.host(), address.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    ssl.setSSLParameters(parameters);
    ssl.startHandshake();
    return ssl;
  }

  private static TrustManager[] trustManagers(Path file, List<String> problems) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (file == null) {
        factory.init((KeyStore) null);
        return factory.getTrustManagers();
      }
      List<X509Certificate> cas = certificates("tls trustedCertificates", file, problems);
      if (cas == null) {
        return null;
      }
      KeyStore store = emptyStore();
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      problems.add("tls trustedCertificates " + file + ": " + e.getMessage());
      return null;
    }
  }

  private static KeyManager[] keyManagers(Path certFile, Path keyFile, List<String> problems) {
    List<X509Certificate> chain = certificates("tls clientCertificate", certFile, problems);
    PrivateKey key = chain == null ? null : privateKey(keyFile, chain.get(0), problems);
    if (key == null) {
      return null;
    }
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      problems.add(
          "tls clientCertificate key "
              + keyFile
              + " is not the key of the certificate in "
              + certFile
              + ": "
              + e.getMessage());
      return null;
    }
  }

  private static List<X509Certificate> certificates(
      String setting, Path file, List<String> problems) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        problems.add(setting + " " + file + " holds no certificate (PEM, BEGIN CERTIFICATE)");
        return null;
      }
      return out;
    } catch (NoSuchFileException e) {
      problems.add(setting + " file not found: " + file);
    } catch (CertificateException e) {
      problems.add(setting + " " + file + " is not a PEM certificate (BEGIN CERTIFICATE)");
    } catch (IOException e) {
      problems.add("cannot read " + setting + " " + file + ": " + e.getMessage());
    }
    return null;
  }

  private static PrivateKey privateKey(Path file, X509Certificate leaf, List<String> problems) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      problems.add("tls clientCertificate key file not found: " + file);
      return null;
    } catch (IOException e) {
      problems.add("cannot read tls clientCertificate key " + file + ": " + e.getMessage());
      return null;
    }
    Matcher m = PEM_KEY.matcher(text);
    if (!m.find() || !m.group(1).isEmpty()) {
      problems.add(
          "tls clientCertificate key "
              + file
              + " must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); convert with"
              + " openssl pkcs8 -topk8 -nocrypt");
      return null;
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      return KeyFactory.getInstance(leaf.getPublicKey().getAlgorithm())
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      problems.add(
          "tls clientCertificate key "
              + file
              + " is not a "
              + leaf.getPublicKey().getAlgorithm()
              + " private key for the certificate: "
              + e.getMessage());
      return null;
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }
}
