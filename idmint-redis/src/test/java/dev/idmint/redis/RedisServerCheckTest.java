package dev.idmint.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.CoordinatorException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Open failures that the test server cannot produce (it has no password and is a primary), mapped
 * from the exceptions Lettuce raises for them; no Redis needed.
 */
class RedisServerCheckTest {
  private static final RedisUrl URL = RedisUrl.parse("redis://cache:6379");
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static String explain(RuntimeException failure) {
    return RedisServerCheck.openFailure(URL, "idmint:", TIMEOUT, TIMEOUT, failure).getMessage();
  }

  @Test
  void aMissingPasswordSaysWhereToPutIt() {
    RuntimeException failure =
        new RedisConnectionException(
            "Unable to connect to cache:6379",
            new RedisCommandExecutionException("NOAUTH Authentication required."));
    assertThat(explain(failure))
        .isEqualTo(
            "Redis at cache:6379 requires a password (NOAUTH Authentication required.); set the"
                + " password option or put it in the URL (redis://:password@host)");
  }

  @Test
  void aServerStillLoadingItsDataIsNamed() {
    RuntimeException failure =
        new CoordinatorException(
            "reading INFO on Redis at cache:6379 failed: LOADING",
            new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory"));
    assertThat(explain(failure))
        .isEqualTo("Redis at cache:6379 is still loading its data set; try again when it is ready");
  }

  @Test
  void aReadableFailureOfTheServerCheckIsKeptAsItIs() {
    CoordinatorException replica =
        new CoordinatorException(
            "Redis at cache:6379 is a replica (role:slave); point the coordinator URL at the"
                + " primary");
    assertThat(RedisServerCheck.openFailure(URL, "idmint:", TIMEOUT, TIMEOUT, replica))
        .isSameAs(replica);
  }

  @Test
  void anythingElseStillNamesTheServerAndTheCause() {
    assertThat(explain(new IllegalStateException("event loop shut down")))
        .isEqualTo("cannot open Redis at cache:6379: event loop shut down");
  }
}
