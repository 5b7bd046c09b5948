package dev.idmint.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsAWholeNumberAndAUnitOrIso8601() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("2s")).contains(Duration.ofSeconds(2));
    assertThat(Durations.parse("1m")).contains(Duration.ofMinutes(1));
    assertThat(Durations.parse("3h")).contains(Duration.ofHours(3));
    assertThat(Durations.parse("3653d")).contains(Duration.ofDays(3653));
    assertThat(Durations.parse(" 10 S ")).contains(Duration.ofSeconds(10));
    assertThat(Durations.parse("PT2.5S")).contains(Duration.ofMillis(2500));
    assertThat(Durations.parse("PT0S")).contains(Duration.ZERO);
  }

  @Test
  void refusesAnythingElse() {
    for (String bad :
        new String[] {
          "soon", "", "2", "1.5s", "2 seconds", "-1s", "99999999999999999999ms", "1y"
        }) {
      assertThat(Durations.parse(bad)).as(bad).isEmpty();
    }
    assertThat(Durations.parse(null)).isEmpty();
  }
}
