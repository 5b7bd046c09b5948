package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against real nodes serving TLS with certificates made in the test: the node is
 * verified (CA and hostname) for calls and health probes alike, a refused node is never a source of
 * IDs, and client certificates work with a node that requires them.
 */
class TlsClientTest {
  @TempDir Path dir;

  private final TestCertificates.Authority ca = TestCertificates.authority("idmint test CA");
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    open.add(c);
    return c;
  }

  private TestNode node(TestCertificates.Issued cert, Path clientCa) {
    return closeLater(
        TestNode.start(
            dir.resolve("node-" + open.size()),
            "tls:\n  cert: "
                + cert.certFile()
                + "\n  key: "
                + cert.keyFile()
                + "\n"
                + (clientCa == null ? "" : "  client-ca: " + clientCa + "\n")));
  }

  private Path caFile() {
    return ca.writeCertificate(dir.resolve("ca.pem"));
  }

  private IdMintClientBuilder client(TestNode node, TlsOptions tls) {
    return IdMintClient.builder()
        .endpoints(node.endpoint())
        .tls(tls)
        .deadline(Duration.ofSeconds(4))
        .attemptTimeout(Duration.ofSeconds(2))
        .healthCheckInterval(Duration.ofMillis(100));
  }

  /** One health probe of {@code node} with the TLS a client built with {@code tls} would use. */
  private HealthProbe.Result probe(TestNode node, TlsOptions tls) {
    return HealthProbe.probe(
        ClientConfig.HostAndPort.parse(node.endpoint()), client(node, tls).config().tls(), 1_000);
  }

  @Test
  void aClientTrustingTheNodesCaGetsIdsOverGrpcAndItsProbesPass() {
    TestNode node = node(ca.server(dir, "node", "localhost", "127.0.0.1"), null);
    TlsOptions tls = TlsOptions.builder().trustedCertificates(caFile()).build();
    IdMintClient client = closeLater(client(node, tls).build());
    long first = client.nextId("default");
    assertThat(client.nextIds("default", 500)).hasSize(500).doesNotContain(first);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(probe(node, tls).outcome()).isEqualTo(HealthProbe.Outcome.READY));
    assertThat(client.endpoints().get(0).state()).isEqualTo(EndpointHealth.State.AVAILABLE);
  }

  @Test
  void aCertificateForAnotherHostIsRefusedByCallsAndProbes() {
    TestNode node = node(ca.server(dir, "node", "idmint.other.example"), null);
    TlsOptions tls = TlsOptions.builder().trustedCertificates(caFile()).build();
    IdMintClient client = closeLater(client(node, tls).build());
    assertThatThrownBy(() -> client.nextId("default"))
        .isInstanceOf(IdMintUnavailableException.class)
        .hasMessageContaining(node.endpoint())
        .hasMessageContaining("(TLS: No subject alternative names matching IP address 127.0.0.1");
    assertThat(client.bufferedIds("default")).isZero();
    HealthProbe.Result probe = probe(node, tls);
    assertThat(probe.outcome()).isEqualTo(HealthProbe.Outcome.FAILED);
    assertThat(probe.detail()).startsWith("health probe: TLS: ").contains("127.0.0.1");
  }

  @Test
  void aNodeFromAnUnknownCaIsRefused() {
    TestNode node = node(ca.server(dir, "node", "localhost", "127.0.0.1"), null);
    Path otherCa = TestCertificates.authority("another CA").writeCertificate(dir.resolve("o.pem"));
    TlsOptions tls = TlsOptions.builder().trustedCertificates(otherCa).build();
    IdMintClient client = closeLater(client(node, tls).build());
    assertThatThrownBy(() -> client.nextId("default"))
        .isInstanceOf(IdMintUnavailableException.class)
        .hasMessageContaining(node.endpoint());
    assertThat(client.bufferedIds("default")).isZero();
    assertThat(probe(node, tls).outcome()).isEqualTo(HealthProbe.Outcome.FAILED);
    // Nor does the JVM trust store know a CA made in this test.
    IdMintClient jvm = closeLater(client(node, TlsOptions.jvmTrustStore()).build());
    assertThatThrownBy(() -> jvm.nextId("default")).isInstanceOf(IdMintUnavailableException.class);
  }

  @Test
  void anMtlsNodeRefusesAClientWithoutACertificateAndServesOneWithIt() {
    TestCertificates.Authority clientCa = TestCertificates.authority("client CA");
    TestNode node =
        node(
            ca.server(dir, "node", "localhost", "127.0.0.1"),
            clientCa.writeCertificate(dir.resolve("client-ca.pem")));
    IdMintClient anonymous =
        closeLater(
            client(node, TlsOptions.builder().trustedCertificates(caFile()).build()).build());
    assertThatThrownBy(() -> anonymous.nextId("default"))
        .isInstanceOf(IdMintUnavailableException.class)
        .hasMessageContaining(node.endpoint());

    TestCertificates.Issued app = clientCa.client(dir, "app", "order-service");
    IdMintClient known =
        closeLater(
            client(
                    node,
                    TlsOptions.builder()
                        .trustedCertificates(caFile())
                        .clientCertificate(app.certFile(), app.keyFile())
                        .build())
                .build());
    assertThat(known.nextIds("default", 10)).hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void tlsFilesThatDoNotLoadAreReportedAtBuild() {
    Path missing = dir.resolve("missing-ca.pem");
    TestCertificates.Issued app = ca.client(dir, "app", "order-service");
    assertThatThrownBy(
            () ->
                IdMintClient.builder()
                    .endpoints("localhost:7070")
                    .tls(
                        TlsOptions.builder()
                            .trustedCertificates(missing)
                            .clientCertificate(app.certFile(), app.certFile())
                            .build())
                    .build())
        .isInstanceOf(IdMintConfigurationException.class)
        .hasMessageContaining("tls trustedCertificates file not found: " + missing)
        .hasMessageContaining(
            "tls clientCertificate key " + app.certFile() + " must be an unencrypted PKCS#8");
  }

  @Test
  void aTokenWithoutTlsToAnotherHostIsWarnedAboutOnceAtBuild() {
    Logger logger = Logger.getLogger(IdMintClientBuilder.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      String token = "order-token-0123456789";
      closeLater(
          IdMintClient.builder()
              .endpoints("localhost:7070", "127.0.0.2:7070", "[::1]:7070")
              .token(token)
              .build());
      assertThat(records).isEmpty();
      closeLater(
          IdMintClient.builder()
              .endpoints("localhost:7070", "ids-1.internal:7070", "10.1.2.3:7070")
              .token(token)
              .build());
      assertThat(records).hasSize(1);
      assertThat(records.get(0).getLevel()).isEqualTo(java.util.logging.Level.WARNING);
      assertThat(records.get(0).getMessage())
          .contains("the token is sent without TLS to ids-1.internal:7070, 10.1.2.3:7070")
          .doesNotContain(token);
      closeLater(
          IdMintClient.builder()
              .endpoints("ids-1.internal:7070")
              .token(token)
              .tls(TlsOptions.jvmTrustStore())
              .build());
      closeLater(IdMintClient.builder().endpoints("ids-1.internal:7070").build());
      assertThat(records).hasSize(1);
    } finally {
      logger.removeHandler(handler);
    }
  }
}
