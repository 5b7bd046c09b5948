package dev.idmint.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing coordinator URLs; no Redis needed. */
class RedisUrlTest {

  @Test
  void defaultsArePort6379AndDatabase0WithoutCredentials() {
    assertThat(RedisUrl.parse("redis://cache.internal"))
        .isEqualTo(new RedisUrl(false, "cache.internal", 6379, 0, null, null));
  }

  @Test
  void userPasswordPortDatabaseAndTlsAreRead() {
    assertThat(RedisUrl.parse("rediss://idmint:p%40ss@10.0.0.7:6380/3"))
        .isEqualTo(new RedisUrl(true, "10.0.0.7", 6380, 3, "idmint", "p@ss"));
  }

  @Test
  void userInfoWithoutAColonIsAPasswordAsWithRedisCli() {
    assertThat(RedisUrl.parse("redis://secret@host").password()).isEqualTo("secret");
    assertThat(RedisUrl.parse("redis://:secret@host").user()).isNull();
  }

  @Test
  void ipv6AddressesLoseTheirBrackets() {
    RedisUrl url = RedisUrl.parse("redis://[::1]:7000");
    assertThat(url.host()).isEqualTo("::1");
    assertThat(url.address()).isEqualTo("[::1]:7000");
  }

  @Test
  void theTextFormNeverShowsThePassword() {
    assertThat(RedisUrl.parse("redis://u:secret@host:1/2")).hasToString("redis://host:1/2");
    assertThat(RedisUrl.redact("redis://secret@host")).isEqualTo("redis://***@host");
    assertThat(RedisUrl.redact("redis://u:secret@host?password=x"))
        .isEqualTo("redis://***@host?password=***");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| the URL is empty",
        "http://host| the scheme must be redis or rediss, was http",
        "redis:host| it names no host",
        "redis://| it is not a valid URI (Expected authority at index 8)",
        "redis://host:port| cannot read host[:port] from 'host:port' (is the port a number?)",
        "redis://host:0| the port must be in [1, 65535], was 0",
        "redis://host/db1| the path must be a database number such as /0, was '/db1'",
        "redis://host?password=x| query parameters are not read ('?password=***');"
            + " pass them as coordinator options instead",
        "redis://host#x| it has a fragment ('#…')",
        "redis://ho st| it is not a valid URI (Illegal character in authority at index 8)",
      })
  void malformedUrlsAreRefusedNamingTheProblem(String url, String problem) {
    assertThatThrownBy(() -> RedisUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(problem.strip());
  }
}
