package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.testkit.Engines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: a node on an ephemeral port, and {@code console.spec.mjs} driving
 * Debian's headless Chromium through playwright-core. Skips without Chromium, Node.js or the
 * script's node_modules (saying how to install them); fails instead under {@code CI=true}.
 */
class ConsoleBrowserTest {
  static final Path SCRIPT_DIR = Path.of("src", "test", "console");
  static final Path CHROMIUM = Path.of(Engines.env("CHROMIUM_PATH", "/usr/bin/chromium"));
  static final String ID_TOKEN = "console-test-id-token-0123456789";
  static final String KEY = "2B7E151628AED2A6ABF7158809CF4F3C";

  static final String CONFIG =
      """
      namespaces:
        order:
          strategy: snowflake
          public-id: { prefix: ord, alphabet: base62, current: 1, keys: { "1": "${CONSOLE_KEY}" } }
        invoice:
          strategy: segment
      auth:
        tokens:
          - token: %s
      """
          .formatted(ID_TOKEN);

  @TempDir Path dir;

  @BeforeAll
  static void requireBrowser() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) {
      missing.add("Chromium at " + CHROMIUM + " (apt-get install -y chromium)");
    }
    if (!nodeRuns()) {
      missing.add("Node.js on the PATH (apt-get install -y nodejs npm)");
    }
    if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
      missing.add("playwright-core (npm ci --prefix idmint-server/src/test/console)");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "the console browser test needs " + String.join(", ", missing);
    if (Engines.underCi()) {
      throw new AssertionError("CI=true, so this test may not skip: " + message);
    }
    Assumptions.abort(message);
  }

  @Test
  void signInSeeTheClusterMintAndDecodeInHeadlessChromium() throws Exception {
    try (TestServer node = TestServer.start(dir, null, CONFIG, Map.of("CONSOLE_KEY", KEY))) {
      Path screenshot = Path.of("target", "console", "console.png").toAbsolutePath();
      Files.createDirectories(screenshot.getParent());
      Files.deleteIfExists(screenshot);

      JsonNode seen = runScript(node.url, ID_TOKEN, "no-admin", screenshot);

      assertThat(seen.path("adminMessage").asText()).contains("not available on this node");
      assertThat(texts(seen.path("namespaces"))).containsExactlyInAnyOrder("order", "invoice");
      // 41 timestamp bits in ms from 2025-01-01 run out in 2094.
      assertThat(seen.path("exhaustion").asText()).startsWith("2094-09-07");

      // Three raw and three public IDs, and the node agrees they are the ones it issued.
      List<String> minted = texts(seen.path("minted"));
      assertThat(minted).hasSize(6);
      String raw = minted.get(0);
      assertThat(raw).matches("[1-9][0-9]{9,18}");
      assertThat(minted.get(1)).matches("ord_1[0-9A-Za-z]+");
      JsonNode truth =
          node.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(node.url + "/v1/namespaces/order/ids/" + raw))
                      .header("Authorization", "Bearer " + ID_TOKEN)
                      .build())
              .json();

      JsonNode decoded = seen.path("decoded");
      assertThat(decoded.path("raw ID").asText()).isEqualTo(raw);
      assertThat(decoded.path("public ID").asText()).isEqualTo(truth.path("publicId").asText());
      assertThat(decoded.path("worker").asText()).isEqualTo(truth.path("worker").asText());
      assertThat(decoded.path("sequence").asText()).isEqualTo(truth.path("sequence").asText());
      assertThat(decoded.path("timestamp").asText())
          .startsWith(truth.path("timestamp").asText().substring(0, 16).replace('T', ' '));
      assertThat(Instant.parse(truth.path("timestamp").asText()))
          .isBetween(Instant.now().minusSeconds(300), Instant.now());
      assertThat(seen.path("decodedPublic").path("raw ID").asText()).isEqualTo(raw);

      assertThat(seen.path("decodeError").asText()).contains("HTTP 400 INVALID_ARGUMENT");
      assertThat(seen.path("legend").asText()).contains("order");

      byte[] png = Files.readAllBytes(screenshot);
      assertThat(png).hasSizeGreaterThan(10_000);
      assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
  }

  /** Runs the script; answers the JSON line it prints, or fails with its stderr. */
  static JsonNode runScript(String url, String token, String mode, Path screenshot)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("console-spec", ".out");
    Path err = Files.createTempFile("console-spec", ".err");
    try {
      Process process =
          new ProcessBuilder("node", "console.spec.mjs", url, token, mode, screenshot.toString())
              .directory(SCRIPT_DIR.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(150, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "console.spec.mjs did not finish in 150 s: " + Files.readString(err));
      }
      String stdout = Files.readString(out).strip();
      assertThat(process.exitValue())
          .as("console.spec.mjs exit code; stderr: %s", Files.readString(err))
          .isZero();
      String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
      return TestServer.JSON.readTree(last);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return out;
  }

  static boolean nodeRuns() {
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
