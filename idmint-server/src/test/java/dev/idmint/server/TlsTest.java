package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.testkit.TestCertificates;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service port over TLS, with certificates made in the test: gRPC and REST on one port, ALPN h2
 * and http/1.1, the client's hostname check both ways, client certificates (mTLS), reload of
 * changed files, and bad files refused at start naming the file.
 */
class TlsTest {
  @TempDir Path dir;

  private final TestCertificates.Authority ca = TestCertificates.authority("idmint test CA");

  private TestServer start(TestCertificates.Issued server, Path clientCa, String extra) {
    String yaml =
        "tls:\n  cert: "
            + server.certFile()
            + "\n  key: "
            + server.keyFile()
            + "\n"
            + (clientCa == null ? "" : "  client-ca: " + clientCa + "\n")
            + extra;
    return TestServer.start(dir.resolve("node"), null, yaml, Map.of());
  }

  @Test
  void restAndGrpcShareTheTlsPortWithAlpnH2AndHttp11() throws Exception {
    TestCertificates.Issued cert = ca.server(dir, "node", "localhost", "127.0.0.1");
    try (TestServer node = start(cert, null, "")) {
      assertThat(node.server.tls()).isTrue();
      assertThat(node.server.startupLine()).contains("; TLS on");
      SSLContext trusting = context(ca.certificate(), null);
      String url = "https://127.0.0.1:" + node.server.port();

      HttpResponse<String> h2 =
          send(trusting, HttpClient.Version.HTTP_2, url + "/v1/namespaces/default/ids?count=3");
      assertThat(h2.statusCode()).isEqualTo(200);
      assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(h2.body()).contains("\"ids\":[");

      HttpResponse<String> h1 = send(trusting, HttpClient.Version.HTTP_1_1, url + "/health/ready");
      assertThat(h1.statusCode()).isEqualTo(200);
      assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

      assertThat(negotiatedProtocol(trusting, node.server.port(), "h2")).isEqualTo("h2");
      assertThat(negotiatedProtocol(trusting, node.server.port(), "http/1.1"))
          .isEqualTo("http/1.1");

      ManagedChannel channel =
          NettyChannelBuilder.forAddress(
                  "localhost",
                  node.server.port(),
                  TlsChannelCredentials.newBuilder()
                      .trustManager(ca.writeCertificate(dir.resolve("ca.pem")).toFile())
                      .build())
              .build();
      try {
        assertThat(
                IdServiceGrpc.newBlockingStub(channel)
                    .nextIds(
                        NextIdsRequest.newBuilder().setNamespace("default").setCount(5).build())
                    .getIdsList())
            .hasSize(5)
            .doesNotHaveDuplicates();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void plaintextIsNotServedOnATlsPort() throws Exception {
    TestCertificates.Issued cert = ca.server(dir, "node", "localhost", "127.0.0.1");
    try (TestServer node = start(cert, null, "")) {
      HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:" + node.server.port() + "/health/ready"))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aClientRefusesACertificateForAnotherNameAndOneFromAnotherCa() throws Exception {
    TestCertificates.Issued otherName = ca.server(dir, "node", "idmint.other.example");
    try (TestServer node = start(otherName, null, "")) {
      String url = "https://127.0.0.1:" + node.server.port() + "/health/ready";
      assertThatThrownBy(
              () -> send(context(ca.certificate(), null), HttpClient.Version.HTTP_1_1, url))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("127.0.0.1");
    }
    TestCertificates.Issued right = ca.server(dir, "node2", "localhost", "127.0.0.1");
    try (TestServer node = start(right, null, "")) {
      String url = "https://127.0.0.1:" + node.server.port() + "/health/ready";
      X509Certificate unknownCa = TestCertificates.authority("another CA").certificate();
      assertThatThrownBy(() -> send(context(unknownCa, null), HttpClient.Version.HTTP_1_1, url))
          .isInstanceOf(SSLHandshakeException.class);
      // The same node, the right CA and name: served.
      assertThat(
              send(context(ca.certificate(), null), HttpClient.Version.HTTP_1_1, url).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void withAClientCaANodeRefusesAClientWithoutACertificate() throws Exception {
    TestCertificates.Issued cert = ca.server(dir, "node", "localhost", "127.0.0.1");
    TestCertificates.Authority clientCa = TestCertificates.authority("client CA");
    Path clientCaFile = clientCa.writeCertificate(dir.resolve("client-ca.pem"));
    try (TestServer node = start(cert, clientCaFile, "")) {
      assertThat(node.server.startupLine()).contains("TLS on, client certificates required");
      String url = "https://127.0.0.1:" + node.server.port() + "/v1/namespaces/default/ids";
      HttpRequest post =
          HttpRequest.newBuilder(URI.create(url))
              .POST(HttpRequest.BodyPublishers.noBody())
              .timeout(Duration.ofSeconds(5))
              .build();

      HttpClient anonymous = client(context(ca.certificate(), null), HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> anonymous.send(post, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);

      // A certificate from a CA the node does not trust for clients is refused too.
      TestCertificates.Issued stranger = ca.client(dir, "stranger", "stranger");
      HttpClient wrong = client(context(ca.certificate(), stranger), HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> wrong.send(post, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);

      TestCertificates.Issued app = clientCa.client(dir, "app", "order-service");
      HttpClient known = client(context(ca.certificate(), app), HttpClient.Version.HTTP_1_1);
      assertThat(known.send(post, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void changedFilesAreServedToNewConnections() throws Exception {
    TestCertificates.Issued first = ca.server(dir, "node", "localhost", "127.0.0.1");
    try (TestServer node = start(first, null, "  reload-interval: 100ms\n")) {
      SSLContext trusting = context(ca.certificate(), null);
      assertThat(presented(trusting, node.server.port())).isEqualTo(first.certificate());

      // A half-written key is not taken: the node keeps serving the certificate it has.
      Files.writeString(first.keyFile(), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
      assertThat(node.server.reloadTls()).isFalse();
      assertThat(presented(trusting, node.server.port())).isEqualTo(first.certificate());

      TestCertificates.Issued second = ca.server(dir, "node", "localhost", "127.0.0.1");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(presented(trusting, node.server.port()))
                      .isEqualTo(second.certificate()));
    }
  }

  @Test
  void badFilesFailTheStartNamingTheFile() throws Exception {
    TestCertificates.Issued cert = ca.server(dir, "node", "localhost", "127.0.0.1");
    Path missing = dir.resolve("absent.crt");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    new ConfigLoader.Flags(
                        0, dir, null, null, missing, cert.keyFile(), null, null, false),
                    Map.of(),
                    Clock.system()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("tls.cert file not found: " + missing);
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    new ConfigLoader.Flags(
                        0, dir, null, null, cert.certFile(), null, null, null, false),
                    Map.of(),
                    Clock.system()))
        .hasMessageContaining("tls.cert is set but tls.key (--tls-key, IDMINT_TLS_KEY) is not");

    Path garbage = dir.resolve("garbage.crt");
    Files.writeString(garbage, "not a certificate\n");
    assertThatThrownBy(
            () -> start(new TestCertificates.Issued(garbage, cert.keyFile(), null), null, ""))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("tls.cert " + garbage + " is not a PEM certificate");

    TestCertificates.Issued other = ca.server(dir, "other", "localhost");
    assertThatThrownBy(
            () ->
                start(
                    new TestCertificates.Issued(cert.certFile(), other.keyFile(), null), null, ""))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(
            "tls.key " + other.keyFile() + " is not the key of the certificate in tls.cert");

    Path badKey = dir.resolve("bad.key");
    Files.writeString(badKey, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(
            () -> start(new TestCertificates.Issued(cert.certFile(), badKey, null), null, ""))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("tls.key " + badKey + " is not a PEM private key");
  }

  @Test
  void theServeCommandTakesTheTlsFlags() throws Exception {
    TestCertificates.Issued cert = ca.server(dir, "node", "localhost", "127.0.0.1");
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        Main.run(
            new java.io.PrintWriter(new java.io.StringWriter(), true),
            new java.io.PrintWriter(err, true),
            "serve",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("data").toString(),
            "--tls-cert",
            cert.certFile().toString(),
            "--tls-key",
            cert.keyFile().toString(),
            "--tls-client-ca",
            dir.resolve("no-such-ca.pem").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip())
        .isEqualTo(
            "error: invalid configuration: tls.client-ca file not found: "
                + dir.resolve("no-such-ca.pem"));
  }

  // ---- helpers

  private static HttpClient client(SSLContext context, HttpClient.Version version) {
    return HttpClient.newBuilder()
        .sslContext(context)
        .version(version)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> send(
      SSLContext context, HttpClient.Version version, String url) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    if (url.contains("/ids")) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    }
    return client(context, version).send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The protocol ALPN chose when the client offers only {@code protocol}. */
  private static String negotiatedProtocol(SSLContext context, int port, String protocol)
      throws IOException {
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return socket.getApplicationProtocol();
    }
  }

  /** The leaf certificate a new connection gets. */
  private static X509Certificate presented(SSLContext context, int port) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** Trusts {@code ca} (hostname checked, as HttpClient does); presents {@code client} if given. */
  private static SSLContext context(X509Certificate ca, TestCertificates.Issued client)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "client",
          privateKey(client.keyFile()),
          new char[0],
          new java.security.cert.Certificate[] {client.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static java.security.PrivateKey privateKey(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return java.security.KeyFactory.getInstance("EC")
          .generatePrivate(
              new java.security.spec.PKCS8EncodedKeySpec(
                  java.util.Base64.getDecoder().decode(base64)));
    }
  }
}
