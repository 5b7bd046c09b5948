package dev.idmint.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's one way of asking a node: JSON over HTTP/1.1, errors as one readable line. */
final class NodeHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeHttp() {}

  /**
   * Sends {@code method path} (with a JSON {@code body} unless it is null) to the node at {@code
   * url} and returns the parsed 2xx answer.
   *
   * @throws IllegalArgumentException if {@code url} is not a URL
   * @throws IOException with the node's error message and code, or why it could not be reached
   */
  static JsonNode call(String url, String token, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    HttpRequest.Builder request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid URL: " + url);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IOException("cannot reach idmint at " + base + ": connection refused");
    } catch (IOException e) {
      throw new IOException("cannot reach idmint at " + base + ": " + Main.oneLine(e));
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException(
          "unexpected answer from " + base + " (HTTP " + response.statusCode() + ")");
    }
    if (response.statusCode() / 100 != 2) {
      JsonNode error = answer.path("error");
      throw new IOException(
          error.path("message").asText("HTTP " + response.statusCode())
              + " ("
              + response.statusCode()
              + " "
              + error.path("code").asText()
              + ")");
    }
    return answer;
  }
}
