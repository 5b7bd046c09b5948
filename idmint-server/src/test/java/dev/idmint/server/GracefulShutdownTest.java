package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.LeaseGrant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server process: SIGTERM stops it cleanly and releases its worker at once. */
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void sigtermReleasesTheWorkerSoAnotherNodeMayClaimItAtOnce() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("idmint.yaml");
    Files.writeString(config, "node: { worker: 5 }\n");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.idmint.server.Main",
                "serve",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dir.resolve("data").toString(),
                "--config",
                config.toString())
            .redirectErrorStream(true);
    // One embedded node on purpose: also when the build itself runs in a Kubernetes pod.
    builder.environment().put("IDMINT_SINGLE_NODE", "true");
    Process process = builder.start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      String startup = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (startup == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
        if (line.startsWith("idmint listening on port")) {
          startup = line;
        }
      }
      assertThat(startup).contains("port " + port).contains("worker 5").contains("embedded");
      TestServer.Response response =
          new TestServerClient("http://127.0.0.1:" + port).post("/v1/namespaces/default/ids");
      assertThat(response.status()).isEqualTo(200);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    } finally {
      process.destroyForcibly();
    }

    String url = "jdbc:h2:file:" + dir.resolve("data").resolve("idmint").toAbsolutePath();
    try (Coordinator coordinator = Coordinators.open(url, Map.of())) {
      LeaseGrant next =
          coordinator
              .workerLeases()
              .claim(new ClaimRequest("next", OptionalInt.of(5), 1023, Duration.ofSeconds(30), 0));
      assertThat(next.worker())
          .as("released: claimable before its 30 s lease ran out")
          .isEqualTo(5);
      assertThat(next.previousHorizonMillis()).isPositive();
    }
  }

  /** The HTTP half of {@link TestServer}, for a server in another process. */
  static final class TestServerClient {
    private final String url;

    TestServerClient(String url) {
      this.url = url;
    }

    TestServer.Response post(String path) throws Exception {
      var client =
          java.net.http.HttpClient.newBuilder()
              .version(java.net.http.HttpClient.Version.HTTP_1_1)
              .build();
      var response =
          client.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path))
                  .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      return new TestServer.Response(response.statusCode(), response.body(), response);
    }
  }
}
