package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI: exit code 0 and plain output on success, non-zero and one line on stderr otherwise. */
class CliTest {
  @TempDir static Path dir;
  static TestServer node;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void start() {
    node = TestServer.start(dir, null, null, Map.of());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void nextPrintsOneIdPerLine() {
    Run run = run("next", "default", "-n", "3", "--url", node.url);
    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    String[] lines = run.out().strip().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(Long.parseLong(lines[2])).isGreaterThan(Long.parseLong(lines[0]));
  }

  @Test
  void inspectPrintsTheParts() {
    String id = run("next", "default", "--url", node.url).out().strip();
    Run run = run("inspect", "default", id, "--url", node.url);
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("namespace: default")
        .contains("id: " + id)
        .contains("strategy: snowflake")
        .contains("worker: 0");
  }

  @Test
  void aRefusedRequestIsOneLineAndExitCodeOne() {
    Run run = run("next", "default", "-n", "0", "--url", node.url);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("error: count must be between 1 and 10000, was 0 (400 INVALID_ARGUMENT)\n");
    Run unknown = run("inspect", "nope", "1", "--url", node.url);
    assertThat(unknown.err()).isEqualTo("error: unknown namespace: nope (404 NOT_FOUND)\n");
  }

  @Test
  void anUnreachableNodeIsNamed() {
    Run run = run("next", "default", "--url", "http://127.0.0.1:1");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("error: cannot reach idmint at http://127.0.0.1:1: connection refused\n");
  }

  @Test
  void usageErrorsExitWithTwo() {
    Run missing = run("next");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("Missing required parameter: 'NS'");
    Run noCommand = run();
    assertThat(noCommand.code()).isEqualTo(2);
    assertThat(noCommand.err())
        .startsWith("missing command: serve, next, inspect, namespaces or nodes");
    Run badCount = run("next", "default", "-n", "many");
    assertThat(badCount.code()).isEqualTo(2);
  }

  @Test
  void helpWorksEverywhere() {
    assertThat(run("--help").out()).contains("serve").contains("next").contains("inspect");
    assertThat(run("serve", "--help").out())
        .contains("--port")
        .contains("IDMINT_PORT")
        .contains("--coordinator")
        .contains("--data-dir")
        .contains("--config");
    assertThat(run("next", "--help").code()).isZero();
  }

  @Test
  void withoutACommandFirstEveryCommandIsKnown() {
    // Only the command named first is built for a run; help and errors still see all of them.
    assertThat(run("--help").out())
        .containsSubsequence("serve", "next", "inspect", "namespaces", "nodes");
    Run misspelt = run("serv", "--port", "0");
    assertThat(misspelt.code()).isEqualTo(2);
    assertThat(misspelt.err()).contains("Unmatched arguments").contains("serve");
    assertThat(run("--version").code()).isZero();
  }

  @Test
  void serveWithABadConfigurationFailsAtOnceWithOneLine() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "limits: { max-count: 0 }\n");
    Run run =
        run("serve", "--port", "0", "--config", config.toString(), "--data-dir", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "error: invalid configuration: limits.max-count must be in [1, 100000] (one request"
                + " must stay cheap; ask several times for more): max-count=0\n");
  }

  @Test
  void serveRefusesToBindOtherHostsWithoutTokensUnlessInsecureIsSaid() {
    Run run = run("serve", "--port", "0", "--bind", "0.0.0.0", "--data-dir", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "error: invalid configuration: --bind 0.0.0.0 serves other hosts, but no ID token is"
                + " configured: set auth.tokens, or pass --insecure-no-auth to serve them without"
                + " authentication\n");
    assertThat(run("serve", "--help").out()).contains("--bind", "--insecure-no-auth");
  }

  @Test
  void serveWithAnUnknownCoordinatorSchemeFailsAtOnce() {
    Run run =
        run("serve", "--port", "0", "--coordinator", "etcd://x:2379", "--data-dir", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: no coordinator handles URL 'etcd://x:2379'; known");
    assertThat(run.err().strip()).doesNotContain("\n");
  }
}
