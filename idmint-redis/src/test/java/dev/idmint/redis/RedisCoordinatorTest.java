package dev.idmint.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.segment.Segment;
import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opening the coordinator through {@link Coordinators#open}: the provider is found, works, and
 * every way of getting the URL, the credentials or the server wrong ends in one readable sentence.
 */
class RedisCoordinatorTest {
  private static final String URL =
      "redis://" + RedisTestSupport.HOST + ":" + RedisTestSupport.PORT;
  @RegisterExtension static final RedisTestSupport redis = new RedisTestSupport();

  private RedisCoordinator open(String url, Map<String, String> options) {
    return redis.track((RedisCoordinator) Coordinators.open(url, options));
  }

  @Test
  void theProviderIsFoundByUrlAndOffersLeasesAndSegmentsUnderTheKeyPrefix() {
    RedisCoordinator coordinator = open(URL + "/0", Map.of("key-prefix", redis.prefix()));
    assertThat(coordinator.description())
        .isEqualTo(
            "Redis at "
                + RedisTestSupport.HOST
                + ":"
                + RedisTestSupport.PORT
                + " (database 0, key prefix '"
                + redis.prefix()
                + "')");

    LeaseGrant grant =
        coordinator
            .workerLeases()
            .claim(new ClaimRequest("n", OptionalInt.of(3), 1023, Duration.ofSeconds(5), 42));
    Segment segment = coordinator.segments().allocate("order", 10);

    assertThat(grant.worker()).isEqualTo(3);
    assertThat(segment).isEqualTo(new Segment(1, 11));
    assertThat(redis.admin().get(redis.prefix() + "worker:3:claim"))
        .isEqualTo("n|" + grant.fencingToken());
    assertThat(redis.admin().hget(redis.prefix() + "worker:3", "horizon")).isEqualTo("42");
    assertThat(redis.admin().get(redis.prefix() + "segment:order")).isEqualTo("10");
  }

  @Test
  void bothSchemesAreRegistered() {
    assertThat(new RedisCoordinatorProvider().schemes()).containsExactly("redis://", "rediss://");
  }

  @Test
  void nothingConnectsOrStartsAThreadBeforeStartAndTheStoresWaitForIt() {
    Set<String> before = lettuceThreads();
    RedisCoordinator coordinator = RedisCoordinator.builder("redis://127.0.0.1:1").build();

    assertThat(lettuceThreads()).isEqualTo(before);
    assertThatThrownBy(coordinator::workerLeases)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started; call start() first");
    coordinator.close();
    assertThatThrownBy(coordinator::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterCloseTheStoresFailWithCoordinatorExceptionAndCloseIsIdempotent() {
    RedisCoordinator coordinator = redis.open();
    var segments = coordinator.segments();
    coordinator.close();
    coordinator.close();

    assertThatThrownBy(() -> segments.allocate("order", 1))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith("allocating 1 IDs of order on Redis at ");
  }

  @Test
  void anUnreachableServerIsNamedWithHostAndPort() throws IOException {
    int port = freePort();
    long start = System.nanoTime();

    assertThatThrownBy(() -> open("redis://127.0.0.1:" + port, Map.of()))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith("cannot reach Redis at 127.0.0.1:" + port + " (")
        .hasMessageContaining("Connection refused")
        .hasMessageEndingWith(
            "check the host and port in the coordinator URL and that redis-server runs there");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anUnknownHostIsNamed() {
    assertThatThrownBy(() -> open("redis://no-such-host.invalid:6379", Map.of()))
        .isInstanceOf(CoordinatorException.class)
        .hasMessage(
            "cannot reach Redis at no-such-host.invalid:6379: unknown host no-such-host.invalid;"
                + " check the host in the coordinator URL");
  }

  @Test
  void aPasswordForAServerWithoutOneIsRefused() {
    assertThat(redis.admin().configGet("requirepass").get("requirepass"))
        .as("the test server has no password")
        .isEmpty();

    assertThatThrownBy(() -> open(URL, Map.of("password", "s3cret")))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith(
            "Redis at "
                + RedisTestSupport.HOST
                + ":"
                + RedisTestSupport.PORT
                + " has no password configured, but a password was given")
        .hasMessageEndingWith(
            "remove the password from the coordinator options or URL, or set one on the server"
                + " (requirepass)")
        .message()
        .doesNotContain("s3cret");
  }

  @Test
  void aWrongPasswordIsRefusedAndTheRightOneWorks() {
    String user = "idmint-test-" + UUID.randomUUID().toString().substring(0, 8);
    redis
        .admin()
        .aclSetuser(user, AclSetuserArgs.Builder.on().addPassword("right").allKeys().allCommands());
    try {
      assertThatThrownBy(() -> open("redis://" + user + ":wrong@" + hostPort(), Map.of()))
          .isInstanceOf(CoordinatorException.class)
          .hasMessage(
              "Redis at "
                  + hostPort()
                  + " rejected the credentials of user "
                  + user
                  + " (WRONGPASS invalid username-password pair or user is disabled.); check the"
                  + " password (and user) in the coordinator options or URL");

      Coordinator coordinator =
          open(
              "redis://" + hostPort(),
              Map.of("user", user, "password", "right", "key-prefix", redis.prefix()));
      assertThat(coordinator.description()).contains("user " + user).doesNotContain("right");
      assertThat(coordinator.segments().allocate("order", 5)).isEqualTo(new Segment(1, 6));
    } finally {
      redis.admin().aclDeluser(user);
    }
  }

  @Test
  void aUserThatMayNotRunScriptsIsToldWhatToGrant() {
    String user = "idmint-test-" + UUID.randomUUID().toString().substring(0, 8);
    redis
        .admin()
        .aclSetuser(
            user,
            AclSetuserArgs.Builder.on()
                .addPassword("pw")
                .allKeys()
                .allCommands()
                .removeCategory(AclCategory.SCRIPTING));
    try {
      assertThatThrownBy(() -> open("redis://" + user + ":pw@" + hostPort(), Map.of()))
          .isInstanceOf(CoordinatorException.class)
          .hasMessageStartingWith(
              "Redis at " + hostPort() + " refused a command idmint needs (NOPERM")
          .hasMessageEndingWith(
              "grant the user +@connection +@scripting +@string +@hash +@keyspace +info +time and"
                  + " keys ~idmint:*");
    } finally {
      redis.admin().aclDeluser(user);
    }
  }

  @Test
  void aUserWithOnlyTheDocumentedPermissionsCanDoEverything() {
    String user = "idmint-test-" + UUID.randomUUID().toString().substring(0, 8);
    redis
        .admin()
        .dispatch(
            CommandType.ACL,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8)
                .add("SETUSER")
                .add(user)
                .add("reset")
                .add("on")
                .add(">pw")
                .add("~" + redis.prefix() + "*")
                .addValues(RedisServerCheck.REQUIRED_PERMISSIONS.split(" ")));
    try {
      Coordinator coordinator =
          open(
              "redis://" + user + ":pw@" + hostPort(),
              Map.of("key-prefix", redis.prefix(), "wait-replicas", "0"));
      var leases = coordinator.workerLeases();
      LeaseGrant grant =
          leases.claim(new ClaimRequest("n", OptionalInt.empty(), 3, Duration.ofSeconds(5), 1));
      leases.renew(grant, 5_000, 2);
      leases.release(grant);
      assertThat(coordinator.segments().allocate("order", 3)).isEqualTo(new Segment(1, 4));
    } finally {
      redis.admin().aclDeluser(user);
    }
  }

  @Test
  void tlsAgainstAPlainServerSaysToUseRedisScheme() {
    assertThatThrownBy(() -> open("rediss://" + hostPort(), Map.of()))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith("cannot reach Redis at " + hostPort() + " over TLS")
        .hasMessageEndingWith("if the server does not speak TLS use redis:// instead of rediss://");
  }

  @Test
  void aDatabaseTheServerDoesNotHaveIsNamed() {
    assertThatThrownBy(() -> open(URL + "/99999", Map.of()))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith("Redis at " + hostPort() + " refused database 99999 (")
        .hasMessageEndingWith("use a database number below the server's 'databases' setting");
  }

  @Test
  void aMalformedUrlIsNamedWithoutItsPassword() {
    assertThatThrownBy(() -> open("redis://:s3cret@localhost:port/0", Map.of()))
        .isInstanceOf(CoordinatorException.class)
        .hasMessage(
            "invalid Redis coordinator configuration: malformed Redis URL"
                + " 'redis://***@localhost:port/0': cannot read host[:port] from 'localhost:port'"
                + " (is the port a number?); expected redis://[[user]:password@]host[:port][/database]"
                + " or rediss://… for TLS");
  }

  @Test
  void everyProblemWithTheOptionsIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                new RedisCoordinatorProvider()
                    .open(
                        "redis://:pw@localhost/x",
                        Map.of("schema", "public", "connect-timeout", "soon", "key-prefix", " ")))
        .isInstanceOf(CoordinatorException.class)
        .hasCauseInstanceOf(InvalidConfigurationException.class)
        .hasMessageStartingWith("invalid Redis coordinator configuration: ")
        .hasMessageContaining(
            "unknown option 'schema'; known: user, password, key-prefix, connect-timeout,"
                + " command-timeout, wait-replicas")
        .hasMessageContaining(
            "connect-timeout must be a duration such as 2s, 500ms or PT2S: connect-timeout=soon")
        .hasMessageContaining(
            "malformed Redis URL 'redis://***@localhost/x': the path must be a database number"
                + " such as /0, was '/x'")
        .hasMessageContaining("key-prefix must not be blank: key-prefix=' '")
        .message()
        .doesNotContain("pw@");
  }

  @Test
  void aPasswordInBothPlacesIsAProblemNotAChoice() {
    assertThatThrownBy(() -> RedisCoordinator.builder("redis://:a@localhost").password("b").build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "invalid Redis coordinator configuration: a password is given both in the URL and as"
                + " an option; keep one");
  }

  @Test
  void timeoutsAcceptUnitsAndIsoDurations() {
    RedisCoordinator coordinator =
        RedisCoordinator.builder("redis://localhost")
            .options(Map.of("connect-timeout", "500ms", "command-timeout", "PT3S"))
            .build();
    coordinator.close();
    assertThatThrownBy(
            () ->
                RedisCoordinator.builder("redis://localhost").commandTimeout(Duration.ZERO).build())
        .hasMessage(
            "invalid Redis coordinator configuration: command-timeout must be positive:"
                + " command-timeout=PT0S");
  }

  private static String hostPort() {
    return RedisTestSupport.HOST + ":" + RedisTestSupport.PORT;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Set<String> lettuceThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("lettuce-"))
        .collect(Collectors.toSet());
  }
}
