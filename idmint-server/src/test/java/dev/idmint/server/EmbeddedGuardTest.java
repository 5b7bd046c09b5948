package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inside a Kubernetes pod the embedded coordinator is refused unless a single node is meant. */
class EmbeddedGuardTest {
  @TempDir Path dir;

  @Test
  void onlyAnEmbeddedNodeInAPodWithoutTheFlagIsRefused() {
    Map<String, String> pod = Map.of(EmbeddedGuard.KUBERNETES_ENV, "10.96.0.1");
    assertThat(EmbeddedGuard.refusal(true, false, pod))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith("no coordinator configured inside a Kubernetes pod")
                    .contains("--single-node")
                    .contains("IDMINT_SINGLE_NODE=true"));
    assertThat(EmbeddedGuard.refusal(true, true, pod)).isEmpty();
    assertThat(EmbeddedGuard.refusal(false, false, pod)).isEmpty();
    assertThat(EmbeddedGuard.refusal(true, false, Map.of())).isEmpty();
  }

  @Test
  void serveInAPodWithoutACoordinatorExitsWithOneLine() throws Exception {
    Result refused = serve(Map.of(EmbeddedGuard.KUBERNETES_ENV, "10.96.0.1"));
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.output().strip())
        .startsWith("error: no coordinator configured inside a Kubernetes pod")
        .doesNotContain("\n");
  }

  @Test
  void theEnvironmentTwinOfTheFlagLetsASingleNodeStart() throws Exception {
    Result started =
        serve(Map.of(EmbeddedGuard.KUBERNETES_ENV, "10.96.0.1", "IDMINT_SINGLE_NODE", "true"));
    assertThat(started.output()).contains("idmint listening on port");
  }

  record Result(int code, String output) {}

  /** Runs {@code serve} on embedded H2 in a child JVM; stops it once it has printed its line. */
  private Result serve(Map<String, String> environment) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--port",
                "0",
                "--data-dir",
                dir.resolve("data").toString())
            .redirectErrorStream(true);
    builder.environment().remove("IDMINT_SINGLE_NODE");
    builder.environment().remove("IDMINT_COORDINATOR");
    builder.environment().remove("IDMINT_CONFIG");
    builder.environment().putAll(environment);
    Process process = builder.start();
    StringBuilder output = new StringBuilder();
    try (var in = process.getInputStream()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      byte[] buffer = new byte[4096];
      while (System.nanoTime() < deadline) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        if (output.indexOf("idmint listening on port") >= 0) {
          break;
        }
      }
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    return new Result(process.exitValue(), output.toString());
  }
}
