package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class LoadTest {
  private final JsonFactory json = new JsonFactory();

  @Test
  void idsAreReadFromTheirFieldWhateverSurroundsThem() throws IOException {
    long[] buffer = new long[3];
    String body =
        "{\"namespace\":\"flake\",\"meta\":{\"ids\":[\"9\"]},"
            + "\"ids\":[\"9223372036854775807\",\"1\",\"42\"],\"after\":[1,2]}";
    assertThat(Load.parseIds(json, body, buffer)).isEqualTo(3);
    assertThat(buffer).containsExactly(Long.MAX_VALUE, 1, 42);
  }

  @Test
  void moreIdsThanAskedForOrNoObjectIsAnError() {
    assertThatThrownBy(() -> Load.parseIds(json, "{\"ids\":[\"1\",\"2\",\"3\"]}", new long[2]))
        .isInstanceOf(IOException.class)
        .hasMessage("more IDs than the 2 asked for");
    assertThatThrownBy(() -> Load.parseIds(json, "[\"1\"]", new long[2]))
        .isInstanceOf(IOException.class)
        .hasMessage("not a JSON object: [\"1\"]");
  }
}
