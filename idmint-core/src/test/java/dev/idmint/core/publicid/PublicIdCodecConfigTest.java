package dev.idmint.core.publicid;

import static dev.idmint.core.publicid.PublicIdCodecTest.KEY_1;
import static dev.idmint.core.publicid.PublicIdCodecTest.KEY_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicIdCodecConfigTest {

  private static PublicIdCodec.Builder valid() {
    return PublicIdCodec.builder().namespace("order").prefix("ord").current("1").key("1", KEY_1);
  }

  private static InvalidConfigurationException rejected(PublicIdCodec.Builder builder) {
    try {
      builder.build();
    } catch (InvalidConfigurationException e) {
      return e;
    }
    throw new AssertionError("built");
  }

  @Test
  void theServersYamlMapsOntoTheBuilderDirectly() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("1", KEY_1);
    keys.put("2", KEY_2.toUpperCase());
    PublicIdCodec codec =
        PublicIdCodec.builder()
            .namespace("order")
            .prefix("ord")
            .alphabet("crockford32")
            .current("2")
            .keys(keys)
            .build();

    assertThat(codec.alphabet()).isEqualTo(PublicIdAlphabet.CROCKFORD32);
    assertThat(codec.currentVersion()).isEqualTo('2');
    assertThat(codec.versions()).containsExactly('1', '2');
    assertThat(codec.checkCharacters()).isZero();
    assertThat(codec.namespace()).isEqualTo("order");
    assertThat(codec.prefix()).isEqualTo("ord");
    assertThat(codec.decode(codec.encode(99))).isEqualTo(99);
  }

  @Test
  void defaultsToBase62WithoutCheckCharacters() {
    PublicIdCodec codec = valid().build();
    assertThat(codec.alphabet()).isEqualTo(PublicIdAlphabet.BASE62);
    assertThat(codec.checkCharacters()).isZero();
    assertThat(codec.length()).isEqualTo(16);
  }

  @Test
  void reportsEveryProblemAtOnce() {
    InvalidConfigurationException e =
        rejected(
            PublicIdCodec.builder()
                .namespace("Order")
                .prefix("o_rd")
                .alphabet("base64")
                .current("9")
                .checkCharacters(3)
                .key("1", "not a key")
                .key("10", KEY_1)
                .key("2", KEY_2.substring(2)));

    assertThat(e.problems())
        .containsExactly(
            "namespace must match [a-z][a-z0-9_-]{0,62}: \"Order\"",
            "prefix must match [a-z][a-z0-9]{0,15}: prefix='o_rd'",
            "alphabet must be one of [base62, crockford32]: alphabet='base64'",
            "check-characters must be in [0, 2]: check-characters=3",
            "key for version '1' is not hexadecimal: character 1 is not 0-9, a-f or A-F",
            "key version must be one character, 0-9 or a-z: version='10'",
            "key for version '2' has 62 hex digits; an AES key has 32 (AES-128) or 64 (AES-256)",
            "current version '9' has no key; configured versions: [1, 10, 2]");
    assertThat(e).hasMessageStartingWith("invalid public-id configuration: namespace must match");
  }

  @Test
  void requiredSettingsAreNamed() {
    assertThat(rejected(PublicIdCodec.builder()).problems())
        .containsExactly(
            "namespace must be set",
            "prefix must be set",
            "keys must map at least one version to a hex AES key: none configured",
            "current must be set to the key version that encodes");
  }

  @Test
  void keyProblemsNameTheVersionButNeverTheKey() {
    String secretish = "00112233445566778899aabbccddeeff00";
    InvalidConfigurationException e =
        rejected(
            valid()
                .key("2", secretish)
                .key("3", "")
                .key("4", null)
                .key("5", "${IDMINT_ORDER_KEY_5}")
                .key("6", KEY_1 + "\n")
                .key("1", KEY_2)
                .key("1", KEY_2)
                .key("A", KEY_1));

    assertThat(e.problems())
        .containsExactly(
            "key for version '2' has 34 hex digits; an AES key has 32 (AES-128) or 64 (AES-256)",
            "key for version '3' is empty; is its environment variable set?",
            "key for version '4' is empty; is its environment variable set?",
            "key for version '5' is the unresolved placeholder ${IDMINT_ORDER_KEY_5}; set that "
                + "environment variable",
            "key for version '6' is not hexadecimal: character 33 is not 0-9, a-f or A-F",
            "key version '1' is configured more than once",
            "key version must be one character, 0-9 or a-z: version='A'");
    for (String key : new String[] {secretish, KEY_1, KEY_2}) {
      assertThat(e.getMessage()).doesNotContainIgnoringCase(key.substring(0, 8));
    }
  }

  @Test
  void theCurrentVersionMustBeOneCharacter() {
    assertThat(rejected(valid().current("12")).problems())
        .containsExactly("current must be one character, 0-9 or a-z: current='12'");
    assertThat(rejected(valid().current("")).problems())
        .containsExactly("current must be set to the key version that encodes");
    assertThat(rejected(valid().alphabet((PublicIdAlphabet) null)).problems())
        .containsExactly("alphabet must be one of [base62, crockford32]: alphabet=null");
  }

  @Test
  void prefixAndNamespaceRules() {
    assertThat(valid().prefix("a").build().prefix()).isEqualTo("a");
    assertThat(valid().prefix("abcdefghij012345").build().length()).isEqualTo(16 + 2 + 11);
    assertThat(rejected(valid().prefix("abcdefghij0123456")).problems()).hasSize(1);
    assertThat(rejected(valid().prefix("1ord")).problems()).hasSize(1);
    assertThat(rejected(valid().prefix("")).problems()).containsExactly("prefix must be set");
    assertThat(valid().namespace("order-items_v2").build().namespace()).isEqualTo("order-items_v2");
    assertThat(rejected(valid().namespace("x".repeat(64))).problems()).hasSize(1);
  }

  @Test
  void aes256KeysAndLetterVersionsWork() {
    PublicIdCodec codec =
        PublicIdCodec.builder()
            .namespace("order")
            .prefix("ord")
            .current('k')
            .key("k", KEY_2)
            .key("0", KEY_1)
            .alphabet(PublicIdAlphabet.CROCKFORD32)
            .build();
    assertThat(codec.encode(5)).startsWith("ord_k");
    assertThat(codec.decode(codec.encode(5))).isEqualTo(5);
    assertThat(codec.decode(codec.encode(5).toUpperCase())).isEqualTo(5);
    assertThat(codec.versions()).containsExactly('0', 'k');
  }

  @Test
  void toStringShowsTheConfigurationButNoKeyMaterial() {
    PublicIdCodec codec =
        PublicIdCodec.builder()
            .namespace("order")
            .prefix("ord")
            .current("2")
            .key("1", KEY_1)
            .key("2", KEY_2)
            .checkCharacters(1)
            .build();

    assertThat(codec)
        .hasToString(
            "PublicIdCodec[namespace=order, prefix=ord, alphabet=base62, current=2, "
                + "versions=[1, 2], checkCharacters=1]");
  }

  @Test
  void aNullKeyMapAddsNothing() {
    assertThat(rejected(valid().keys(null).current("2")).problems())
        .containsExactly("current version '2' has no key; configured versions: [1]");
  }

  @Test
  void theBuilderRejectsBadInputWithoutThrowingEarly() {
    assertThatThrownBy(() -> valid().checkCharacters(-1).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("check-characters=-1");
  }
}
