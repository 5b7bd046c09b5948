package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's static shell and assets over plain HTTP (the browser test drives the page). */
class ConsoleServiceTest {
  @TempDir Path dir;

  @Test
  void servesTheShellWithItsSecurityHeadersAndNoData() {
    try (TestServer node =
        TestServer.start(
            dir,
            null,
            "auth:\n  tokens:\n    - token: console-shell-test-token-01\n      namespaces: [\"*\"]\n",
            Map.of())) {
      TestServer.Response page = node.get("/console");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("content-type")).startsWith("text/html");
      assertThat(page.body()).contains("<title>idmint console</title>", "/console/console.js");
      // The shell is the same for everyone: no namespace names, no node data, no token.
      assertThat(page.body()).doesNotContain("default\"", "worker", "console-shell-test-token");
      assertThat(page.header("content-security-policy"))
          .contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'")
          .doesNotContain("unsafe-inline");
      assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(page.header("cache-control")).isEqualTo("no-cache");

      assertThat(node.get("/console/").status()).isEqualTo(200);
      TestServer.Response script = node.get("/console/console.js");
      assertThat(script.status()).isEqualTo(200);
      assertThat(script.header("content-type")).contains("javascript");
      assertThat(node.get("/console/console.css").header("content-type")).startsWith("text/css");
    }
  }

  @Test
  void servesVueFromItsWebJar() {
    try (TestServer node = TestServer.start(dir, null, null, Map.of())) {
      TestServer.Response vue = node.get("/console/vendor/vue/vue.global.prod.js");
      assertThat(vue.status()).isEqualTo(200);
      assertThat(vue.body()).contains("createApp");
      assertThat(vue.header("content-security-policy")).isNotNull();
    }
  }

  @Test
  void anUnknownAssetIsAJson404AndTheShellIsReadOnly() {
    try (TestServer node = TestServer.start(dir, null, null, Map.of())) {
      TestServer.Response missing = node.get("/console/nope.js");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.json().path("error").path("code").asText()).isEqualTo("NOT_FOUND");
      // Class-path resources outside the console folder stay out of reach.
      assertThat(node.get("/console/../logback.xml").status()).isIn(400, 404);
      assertThat(node.get("/console/%2e%2e/dev/idmint/server/Main.class").status()).isIn(400, 404);

      TestServer.Response post = node.post("/console");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.json().path("error").path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }
  }
}
