package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guessing tokens costs the guesser time: failed authentications are limited per address. */
class FailedAuthLimitTest {
  static final String TOKEN = "good-token-0123456789ab";
  @TempDir Path dir;

  @Test
  void pastTheFailureRateAnAddressGets429BeforeItsTokenIsLookedAt() {
    String yaml =
        """
        auth:
          tokens: [ { token: %s, namespaces: ["*"] } ]
        limits: { failed-auth-rate-limit: 0.001 }
        """
            .formatted(TOKEN);
    try (TestServer node = TestServer.start(dir, null, yaml, Map.of())) {
      assertThat(node.post("/v1/namespaces/default/ids", TOKEN).status()).isEqualTo(200);
      assertThat(node.post("/v1/namespaces/default/ids", "wrong-token-0123456789").status())
          .isEqualTo(401);
      TestServer.Response limited = node.post("/v1/namespaces/default/ids", "wrong-token-01234567");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.json().path("error").path("message").asText())
          .isEqualTo("too many requests from this address failed authentication; try again later");
      assertThat(node.post("/v1/namespaces/default/ids", TOKEN).status())
          .as("while limited, even a valid token is not looked at")
          .isEqualTo(429);
    }
  }
}
