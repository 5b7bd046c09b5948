package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServiceConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed OpenAPI document (idmint-api, {@code idmint/v1/openapi.json}) is what a node serves
 * at {@code /openapi.json}, describes exactly the node's REST routes, and writes int64 IDs as
 * strings; {@code /docs} is there only with the admin API, behind the admin token.
 */
class OpenApiTest {
  static final String ADMIN = "admin-token-for-openapi";
  static final Path DOCUMENT = Path.of("idmint-api/src/main/resources/idmint/v1/openapi.json");

  @TempDir static Path dir;
  static TestServer withAdmin;
  static TestServer withoutAdmin;
  static JsonNode committed;

  @BeforeAll
  static void start() throws Exception {
    committed = TestServer.JSON.readTree(Files.readString(Docs.root().resolve(DOCUMENT)));
    withAdmin = TestServer.start(dir.resolve("a"), null, null, Map.of("IDMINT_ADMIN_TOKEN", ADMIN));
    withoutAdmin = TestServer.start(dir.resolve("b"), null, null, Map.of());
  }

  @AfterAll
  static void stop() {
    withAdmin.close();
    withoutAdmin.close();
  }

  @Test
  void theNodeServesTheCommittedDocumentWithoutAToken() {
    TestServer.Response served = withoutAdmin.get("/openapi.json");
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.header("content-type")).startsWith("application/json");
    assertThat(served.json()).isEqualTo(committed);
    assertThat(committed.path("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void theDocumentListsExactlyTheRestRoutesOfANode() {
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths =
            committed.path("paths").properties().iterator();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .properties()
          .forEach(m -> documented.add(m.getKey().toUpperCase() + " " + normal(path.getKey())));
    }
    Set<String> served = new TreeSet<>();
    Set<String> anyMethod = new TreeSet<>();
    for (ServiceConfig config : withAdmin.server.serviceConfigs()) {
      String path = normal(config.route().patternString());
      if (!(path.startsWith("/v1/")
          || path.startsWith("/health/")
          || path.equals("/metrics")
          || path.equals("/openapi.json"))) {
        continue; // gRPC, the console, /docs
      }
      Set<HttpMethod> methods = config.route().methods();
      if (methods.size() > 2) {
        anyMethod.add(path);
        continue;
      }
      methods.stream().filter(m -> m != HttpMethod.HEAD).forEach(m -> served.add(m + " " + path));
    }
    List<String> problems = new ArrayList<>();
    for (String route : served) {
      if (!documented.contains(route)) {
        problems.add(route + " is served but not in " + DOCUMENT);
      }
    }
    for (String path : anyMethod) {
      if (documented.stream().noneMatch(d -> d.endsWith(" " + path))) {
        problems.add(path + " is served but not in " + DOCUMENT);
      }
    }
    for (String route : documented) {
      String path = route.substring(route.indexOf(' ') + 1);
      if (!served.contains(route) && !anyMethod.contains(path)) {
        problems.add(route + " is in " + DOCUMENT + " but the node does not serve it");
      }
    }
    assertThat(served).as("REST routes found on the node").hasSizeGreaterThan(8);
    assertThat(problems).as("differences between the OpenAPI document and the node").isEmpty();
  }

  @Test
  void idsAreStringsInTheDocument() {
    JsonNode int64 = committed.at("/components/schemas/Int64");
    assertThat(int64.path("type").asText()).isEqualTo("string");
    assertThat(
            committed.at("/components/schemas/NextIdsResponse/properties/ids/items/$ref").asText())
        .isEqualTo("#/components/schemas/Int64");
    // A raw ID, or (uuid7, pattern) the UUID or number as text.
    assertThat(committed.at("/components/schemas/Inspection/properties/id/oneOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/Int64");
    assertThat(committed.toString()).doesNotContain("\"int64\"");
  }

  @Test
  void docsNeedTheAdminToken() {
    TestServer.Response anonymous = withAdmin.get("/docs/");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("www-authenticate")).startsWith("Basic ");
    assertThat(anonymous.json().path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(docs("Bearer wrong-token-0123456789").status()).isEqualTo(401);
    TestServer.Response bearer = docs("Bearer " + ADMIN);
    assertThat(bearer.status()).isEqualTo(200);
    assertThat(bearer.body()).containsIgnoringCase("<html");
    String basic =
        Base64.getEncoder().encodeToString(("admin:" + ADMIN).getBytes(StandardCharsets.UTF_8));
    assertThat(docs("Basic " + basic).status()).isEqualTo(200);
    TestServer.Response specification = docsPath("/docs/specification.json", "Bearer " + ADMIN);
    assertThat(specification.status()).isEqualTo(200);
    assertThat(specification.body())
        .contains("idmint.v1.IdService")
        .contains("idmint.v1.AdminService");
  }

  @Test
  void withoutTheAdminApiThereAreNoDocs() {
    TestServer.Response answer = withoutAdmin.get("/docs/");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).contains("no such resource");
  }

  private static TestServer.Response docs(String authorization) {
    return docsPath("/docs/", authorization);
  }

  private static TestServer.Response docsPath(String path, String authorization) {
    return withAdmin.send(
        HttpRequest.newBuilder(URI.create(withAdmin.url + path))
            .header("Authorization", authorization)
            .GET()
            .build());
  }

  /** Path parameters as {@code {}}, whichever way they are written. */
  static String normal(String path) {
    return path.replaceAll("\\{[^}/]+}", "{}").replaceAll(":[^/]+", "{}");
  }
}
