package dev.idmint.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one table of how an API error is answered, and the one Retry-After rounding. */
class ApiErrorTest {

  @Test
  void everyKindHasItsHttpStatusAndGrpcCode() {
    assertThat(ApiError.INVALID_ARGUMENT.httpStatus()).isEqualTo(400);
    assertThat(ApiError.UNAUTHENTICATED.grpcCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(ApiError.NOT_FOUND.httpStatus()).isEqualTo(404);
    assertThat(ApiError.METHOD_NOT_ALLOWED.grpcCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(ApiError.FAILED_PRECONDITION.httpStatus()).isEqualTo(409);
    assertThat(ApiError.PAYLOAD_TOO_LARGE.httpStatus()).isEqualTo(413);
    assertThat(ApiError.PAYLOAD_TOO_LARGE.grpcCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ApiError.RESOURCE_EXHAUSTED.httpStatus()).isEqualTo(429);
    assertThat(ApiError.UNAVAILABLE.httpStatus()).isEqualTo(503);
    assertThat(ApiError.UNAVAILABLE.grpcCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void onlyRateLimitsAndUnavailableNodesAreRetryable() {
    assertThat(ApiError.values())
        .filteredOn(ApiError::retryable)
        .containsExactlyInAnyOrder(ApiError.RESOURCE_EXHAUSTED, ApiError.UNAVAILABLE);
  }

  @Test
  void aHintOnAKindThatIsNotRetryableIsAProgrammingError() {
    assertThatThrownBy(() -> new ApiException(ApiError.NOT_FOUND, "no", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOT_FOUND");
    assertThatThrownBy(() -> new ApiException(ApiError.UNAVAILABLE, "no", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(retryAfter(Duration.ZERO)).isEqualTo("1");
    assertThat(retryAfter(Duration.ofMillis(1))).isEqualTo("1");
    assertThat(retryAfter(Duration.ofMillis(1000))).isEqualTo("1");
    assertThat(retryAfter(Duration.ofMillis(1001))).isEqualTo("2");
    assertThat(retryAfter(Duration.ofSeconds(30))).isEqualTo("30");
    assertThat(retryAfter(Duration.ofHours(1))).isEqualTo("3600");
    assertThat(new ApiException(ApiError.UNAVAILABLE, "no hint").retryAfterSeconds()).isNull();
  }

  private static String retryAfter(Duration hint) {
    return new ApiException(ApiError.UNAVAILABLE, "later", hint).retryAfterSeconds();
  }
}
