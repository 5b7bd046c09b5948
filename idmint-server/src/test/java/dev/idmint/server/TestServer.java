package dev.idmint.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idmint.core.Clock;
import dev.idmint.server.testing.InJvmNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** A real server on an ephemeral port ({@link InJvmNode}), and a small HTTP client for it. */
final class TestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final IdMintServer server;
  final String url;

  private TestServer(IdMintServer server) {
    this.server = server;
    this.url = "http://127.0.0.1:" + server.port();
  }

  /** Starts a node with {@code yaml} (may be null) and a data dir under {@code dir}. */
  static TestServer start(Path dir, String coordinator, String yaml, Map<String, String> env) {
    return start(dir, coordinator, yaml, env, Clock.system());
  }

  static TestServer start(
      Path dir, String coordinator, String yaml, Map<String, String> env, Clock clock) {
    return start(dir, coordinator, yaml, env, clock, null, false);
  }

  /** Starts a node with {@code --bind} and {@code --insecure-no-auth} as given. */
  static TestServer start(
      Path dir,
      String coordinator,
      String yaml,
      Map<String, String> env,
      Clock clock,
      String bind,
      boolean insecureNoAuth) {
    return new TestServer(
        InJvmNode.in(dir)
            .coordinator(coordinator)
            .yaml(yaml)
            .environment(env)
            .clock(clock)
            .bind(bind)
            .insecureNoAuth(insecureNoAuth)
            .start()
            .server());
  }

  Response post(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(url + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  Response post(String path, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(url + path))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url + path)).GET().build());
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP answer. */
  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    long[] ids() {
      JsonNode ids = json().path("ids");
      long[] out = new long[ids.size()];
      for (int i = 0; i < out.length; i++) {
        if (!ids.get(i).isTextual()) {
          throw new AssertionError("raw IDs must be JSON strings: " + body);
        }
        out[i] = Long.parseLong(ids.get(i).asText());
      }
      return out;
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
