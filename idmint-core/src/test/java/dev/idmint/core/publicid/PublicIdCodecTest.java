package dev.idmint.core.publicid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidIdException;
import dev.idmint.core.publicid.InvalidPublicIdException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PublicIdCodecTest {
  static final String KEY_1 = "000102030405060708090a0b0c0d0e0f";
  static final String KEY_2 = "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff";
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

  private static final PublicIdCodec ORDERS = codec("order", "ord", PublicIdAlphabet.BASE62, 0);
  private static final PublicIdCodec ORDERS_32 =
      codec("order", "ord", PublicIdAlphabet.CROCKFORD32, 0);
  private static final PublicIdCodec CHECKED = codec("order", "ord", PublicIdAlphabet.BASE62, 2);

  static PublicIdCodec codec(
      String namespace, String prefix, PublicIdAlphabet alphabet, int checkCharacters) {
    return PublicIdCodec.builder()
        .namespace(namespace)
        .prefix(prefix)
        .alphabet(alphabet)
        .current("2")
        .key("1", KEY_1)
        .key("2", KEY_2)
        .checkCharacters(checkCharacters)
        .build();
  }

  // ---- round trips, width, form

  @Property
  void decodeInvertsEncodeInBase62(@ForAll @LongRange(min = 1) long rawId) {
    assertRoundTrip(ORDERS, rawId);
  }

  @Property
  void decodeInvertsEncodeInCrockford32(@ForAll @LongRange(min = 1) long rawId) {
    assertRoundTrip(ORDERS_32, rawId);
  }

  @Property
  void decodeInvertsEncodeWithCheckCharacters(@ForAll @LongRange(min = 1) long rawId) {
    assertRoundTrip(CHECKED, rawId);
  }

  @ParameterizedTest
  @EnumSource(PublicIdAlphabet.class)
  void roundTripsTheEdgesAndEveryPowerOfTwo(PublicIdAlphabet alphabet) {
    for (int checks = 0; checks <= 2; checks++) {
      PublicIdCodec codec = codec("order", "ord", alphabet, checks);
      List<Long> edges = new ArrayList<>(List.of(1L, 2L, 3L, Long.MAX_VALUE, Long.MAX_VALUE - 1));
      for (int k = 0; k < 63; k++) {
        edges.add(1L << k);
        edges.add((1L << k) + 1);
        if (k > 1) {
          edges.add((1L << k) - 1);
        }
      }
      for (long rawId : edges) {
        assertRoundTrip(codec, rawId);
      }
    }
  }

  private static void assertRoundTrip(PublicIdCodec codec, long rawId) {
    String publicId = codec.encode(rawId);
    String digits = codec.alphabet() == PublicIdAlphabet.BASE62 ? BASE62 : CROCKFORD;
    assertThat(publicId)
        .hasSize(codec.length())
        .startsWith("ord_2")
        .matches("ord_2[" + digits + "]{" + (codec.length() - 5) + "}");
    assertThat(codec.decode(publicId)).isEqualTo(rawId);
  }

  @Test
  void bodiesHaveAFixedWidth() {
    assertThat(ORDERS.length()).isEqualTo("ord_2".length() + 11);
    assertThat(ORDERS_32.length()).isEqualTo("ord_2".length() + 13);
    assertThat(CHECKED.length()).isEqualTo("ord_2".length() + 11 + 2);
    assertThat(PublicIdAlphabet.BASE62.bodyLength()).isEqualTo(11);
    assertThat(PublicIdAlphabet.CROCKFORD32.bodyLength()).isEqualTo(13);
    // The smallest and largest encrypted bodies still take the full width.
    Set<Integer> lengths = new HashSet<>();
    for (long rawId = 1; rawId <= 20_000; rawId++) {
      lengths.add(ORDERS.encode(rawId).length());
    }
    assertThat(lengths).containsExactly(ORDERS.length());
  }

  @Test
  void theBodyIsFf1OfTheRawIdsBitsWrittenInTheAlphabet() {
    // The documented scheme, computed independently: FF1 radix 2 over 63 bits (checked against
    // Bouncy Castle), then base62 most significant digit first, zero-padded to 11.
    byte[] tweak = "order".getBytes(StandardCharsets.UTF_8);
    BouncyCastleFf1 reference = new BouncyCastleFf1(Ff1Test.hex(KEY_2), 2, tweak);
    for (long rawId : new long[] {1, 42, 1L << 40, Long.MAX_VALUE}) {
      long body = reference.encrypt63(rawId);
      assertThat(ORDERS.encode(rawId)).isEqualTo("ord_2" + render(body, BASE62, 11));
    }
  }

  @Test
  void encodingRefusesWhatIsNotARawId() {
    for (long notRaw : new long[] {0, -1, Long.MIN_VALUE}) {
      assertThatThrownBy(() -> ORDERS.encode(notRaw))
          .isInstanceOf(InvalidIdException.class)
          .hasMessageContaining("rawId=" + notRaw);
    }
  }

  // ---- unlinkability across namespaces and key versions; order

  @Test
  void theSameRawIdGivesUnrelatedStringsInOtherNamespacesAndUnderOtherVersions() {
    PublicIdCodec users = codec("user", "ord", PublicIdAlphabet.BASE62, 0);
    PublicIdCodec version1 =
        PublicIdCodec.builder()
            .namespace("order")
            .prefix("ord")
            .current('1')
            .key("1", KEY_1)
            .key("2", KEY_2)
            .build();
    int n = 20_000;
    long start = 1L << 40;
    int sameNamespace = 0;
    int sameVersion = 0;
    for (long rawId = start; rawId < start + n; rawId++) {
      String body = ORDERS.encode(rawId).substring(5);
      String otherNamespace = users.encode(rawId).substring(5);
      String otherVersion = version1.encode(rawId).substring(5);
      assertThat(otherNamespace).isNotEqualTo(body);
      assertThat(otherVersion).isNotEqualTo(body);
      sameNamespace += samePositions(body, otherNamespace);
      sameVersion += samePositions(body, otherVersion);
    }
    // Unrelated base62 digits agree at a position 1 time in 62 (1.6%); the first digit is left out
    // because 2^63 only reaches 'A' there.
    double expected = 1.0 / 62;
    assertThat(sameNamespace / (10.0 * n)).isBetween(expected * 0.8, expected * 1.2);
    assertThat(sameVersion / (10.0 * n)).isBetween(expected * 0.8, expected * 1.2);
  }

  private static int samePositions(String a, String b) {
    int same = 0;
    for (int j = 1; j < a.length(); j++) {
      if (a.charAt(j) == b.charAt(j)) {
        same++;
      }
    }
    return same;
  }

  @ParameterizedTest
  @EnumSource(PublicIdAlphabet.class)
  void theOrderOfPublicIdsSaysNothingAboutTheOrderOfRawIds(PublicIdAlphabet alphabet) {
    PublicIdCodec codec = codec("order", "ord", alphabet, 0);
    int n = 100_000;
    // Snowflake IDs of mid-2026 from worker 5, one after another.
    long firstRawId = (45_000_000_000L << 22) | (5L << 12);
    String[] publicIds = new String[n];
    for (int i = 0; i < n; i++) {
      publicIds[i] = codec.encode(firstRawId + i);
    }
    // Raw rank of public ID i is i; its public rank is its place in string order (which is the
    // numeric order of bodies: both alphabets list their digits in ASCII order).
    Integer[] byPublicOrder = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(byPublicOrder, Comparator.comparing(i -> publicIds[i]));
    double sumSquaredRankDifference = 0;
    int ascendingNeighbours = 0;
    for (int publicRank = 0; publicRank < n; publicRank++) {
      double d = publicRank - byPublicOrder[publicRank];
      sumSquaredRankDifference += d * d;
    }
    for (int i = 0; i + 1 < n; i++) {
      if (publicIds[i].compareTo(publicIds[i + 1]) < 0) {
        ascendingNeighbours++;
      }
    }
    double rho = 1 - 6 * sumSquaredRankDifference / ((double) n * ((double) n * n - 1));

    // Under independence rho has standard deviation 1/sqrt(n - 1) = 0.0032.
    assertThat(Math.abs(rho)).isLessThan(0.02);
    // Consecutive raw IDs are as often ascending as descending in public order.
    assertThat(ascendingNeighbours / (double) (n - 1)).isBetween(0.49, 0.51);
    // And sorting by public ID does not sort by raw ID, even locally: the sign test above would be
    // ~1.0 for a merely rotated or offset encoding.
  }

  // ---- rotation

  @Test
  void stringsMadeUnderAnOldVersionStillDecodeAfterRotation() {
    PublicIdCodec before =
        PublicIdCodec.builder()
            .namespace("order")
            .prefix("ord")
            .current("1")
            .key("1", KEY_1)
            .build();
    PublicIdCodec during = codec("order", "ord", PublicIdAlphabet.BASE62, 0);
    PublicIdCodec after =
        PublicIdCodec.builder()
            .namespace("order")
            .prefix("ord")
            .current("2")
            .key("2", KEY_2)
            .build();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      long rawId = 1 + (random.nextLong() >>> 1) % Long.MAX_VALUE;
      String old = before.encode(rawId);
      String current = during.encode(rawId);

      assertThat(old).startsWith("ord_1");
      assertThat(current).startsWith("ord_2");
      assertThat(during.decode(old)).isEqualTo(rawId);
      assertThat(during.decode(current)).isEqualTo(rawId);
      assertThat(after.decode(current)).isEqualTo(rawId);
      assertThat(after.encode(rawId)).isEqualTo(current);
      assertThatThrownBy(() -> after.decode(old))
          .isInstanceOf(InvalidPublicIdException.class)
          .extracting(e -> ((InvalidPublicIdException) e).reason())
          .isEqualTo(Reason.VERSION);
    }
    assertThat(during.versions()).containsExactly('1', '2');
    assertThat(during.currentVersion()).isEqualTo('2');
  }

  // ---- malformed input, each with its own reason

  @Test
  void aForeignOrMissingPrefixIsAPrefixError() {
    String good = ORDERS.encode(42);
    String body = good.substring(4);
    assertInvalid(ORDERS, "usr_" + body, Reason.PREFIX, "has prefix 'usr', expected 'ord'");
    assertInvalid(ORDERS, "ORD_" + body, Reason.PREFIX, "has prefix 'ORD', expected 'ord'");
    assertInvalid(ORDERS, "or_" + body, Reason.PREFIX, "has prefix 'or', expected 'ord'");
    assertInvalid(ORDERS, "ordx_" + body, Reason.PREFIX, "has prefix 'ordx', expected 'ord'");
    assertInvalid(ORDERS, "_" + body, Reason.PREFIX, "has prefix '', expected 'ord'");
    assertInvalid(ORDERS, body, Reason.PREFIX, "has no prefix: expected it to start with 'ord_'");
    assertInvalid(ORDERS, "", Reason.PREFIX, "public ID '' has no prefix");
    assertInvalid(ORDERS, "1234567890", Reason.PREFIX, "has no prefix");
  }

  @Test
  void aMissingOrUnknownVersionIsAVersionError() {
    String body = ORDERS.encode(42).substring(5);
    assertInvalid(ORDERS, "ord_", Reason.VERSION, "has no key version after 'ord_'");
    assertInvalid(
        ORDERS, "ord_3" + body, Reason.VERSION, "has key version '3', expected one of [1, 2]");
    assertInvalid(ORDERS, "ord_z" + body, Reason.VERSION, "has key version 'z'");
    assertInvalid(ORDERS, "ord_!" + body, Reason.VERSION, "has key version '!'");
  }

  @Test
  void aBodyOfTheWrongLengthIsALengthError() {
    String good = ORDERS.encode(42);
    assertInvalid(
        ORDERS, "ord_2", Reason.LENGTH, "has 0 characters after the key version, expected 11");
    assertInvalid(ORDERS, good.substring(0, good.length() - 1), Reason.LENGTH, "has 10 characters");
    assertInvalid(ORDERS, good + "0", Reason.LENGTH, "has 12 characters");
    assertInvalid(
        CHECKED,
        ORDERS.encode(42),
        Reason.LENGTH,
        "has 11 characters after the key version, " + "expected 13");
  }

  @Test
  void aCharacterOutsideTheAlphabetIsAnAlphabetError() {
    String good = ORDERS.encode(42);
    assertInvalid(
        ORDERS,
        good.substring(0, 9) + "-" + good.substring(10),
        Reason.ALPHABET,
        "has '-' at index 9, which is not a base62 digit");
    assertInvalid(ORDERS, good.substring(0, 15) + "é", Reason.ALPHABET, "has 'é' at index 15");
    assertInvalid(ORDERS, good.substring(0, 15) + "_", Reason.ALPHABET, "has '_' at index 15");
    String good32 = ORDERS_32.encode(42);
    assertInvalid(
        ORDERS_32,
        good32.substring(0, 6) + "u" + good32.substring(7),
        Reason.ALPHABET,
        "has 'u' at index 6, which is not a crockford32 digit");
  }

  @Test
  void aWellFormedBodyOutsideTheRawIdRangeIsARangeError() {
    // 2^63 - 1 is the largest body; it decodes (to some raw ID).
    String largest = "ord_2" + render(Long.MAX_VALUE, BASE62, 11);
    assertThat(ORDERS.decode(largest)).isPositive();
    assertThat(ORDERS.encode(ORDERS.decode(largest))).isEqualTo(largest);
    // 2^63 and beyond are no 63-bit value.
    String message = "is well-formed but outside the range of raw IDs, [1, 2^63 - 1]";
    assertInvalid(
        ORDERS, "ord_2" + render(BigInteger.ONE.shiftLeft(63), BASE62, 11), Reason.RANGE, message);
    assertInvalid(ORDERS, "ord_2zzzzzzzzzzz", Reason.RANGE, message);
    assertInvalid(ORDERS_32, "ord_2zzzzzzzzzzzzz", Reason.RANGE, message);
    // The one body below 2^63 that no raw ID encodes to: FF1(0).
    byte[] tweak = "order".getBytes(StandardCharsets.UTF_8);
    long bodyOfZero = new BinaryFf1(new Aes(Ff1Test.hex(KEY_2)), tweak, 63).encrypt(0);
    assertInvalid(ORDERS, "ord_2" + render(bodyOfZero, BASE62, 11), Reason.RANGE, message);
  }

  @Test
  void checkCharactersRejectTyposAndRandomGuesses() {
    String good = CHECKED.encode(42);
    char last = good.charAt(good.length() - 1);
    String typo = good.substring(0, good.length() - 1) + (last == '0' ? '1' : '0');
    assertInvalid(CHECKED, typo, Reason.CHECK, "has check characters that do not match");

    SplittableRandom random = new SplittableRandom(42);
    int guesses = 20_000;
    int accepted = 0;
    int acceptedWithoutCheck = 0;
    for (int i = 0; i < guesses; i++) {
      StringBuilder guess = new StringBuilder("ord_2");
      guess.append(BASE62.charAt(random.nextInt(11))); // keep the body below 2^63 mostly
      for (int j = 1; j < 13; j++) {
        guess.append(BASE62.charAt(random.nextInt(62)));
      }
      accepted += decodes(CHECKED, guess.toString()) ? 1 : 0;
      acceptedWithoutCheck += decodes(ORDERS, guess.substring(0, 16)) ? 1 : 0;
    }
    // Without check characters nearly every well-formed guess decodes to some raw ID; with two,
    // about 1 in 62^2 = 3844 does (5 expected here).
    assertThat(acceptedWithoutCheck).isGreaterThan(guesses * 9 / 10);
    assertThat(accepted).isLessThan(20);
  }

  private static boolean decodes(PublicIdCodec codec, String candidate) {
    try {
      codec.decode(candidate);
      return true;
    } catch (InvalidPublicIdException e) {
      assertThat(e.reason()).isIn(Reason.CHECK, Reason.RANGE);
      return false;
    }
  }

  @Test
  void crockfordDecodingIgnoresCaseAndReadsLookAlikes() {
    SplittableRandom random = new SplittableRandom(32);
    for (int i = 0; i < 2000; i++) {
      long rawId = 1 + (random.nextLong() >>> 1) % Long.MAX_VALUE;
      String publicId = ORDERS_32.encode(rawId);
      assertThat(publicId).isLowerCase();
      String loose = publicId.toUpperCase().replace('1', i % 2 == 0 ? 'I' : 'l').replace('0', 'O');
      assertThat(ORDERS_32.decode(loose)).isEqualTo(rawId);
    }
    // base62 is case-sensitive: flipping the case of a letter changes the ID.
    String publicId = ORDERS.encode(7);
    assertThatThrownBy(() -> ORDERS.decode(publicId.toUpperCase()))
        .isInstanceOf(InvalidPublicIdException.class);
  }

  @Test
  void messagesQuoteLongOrHostileInputSafely() {
    String hostile = "ord_2\n" + "x".repeat(10_000);
    assertThatThrownBy(() -> ORDERS.decode(hostile))
        .isInstanceOf(InvalidPublicIdException.class)
        .hasMessageStartingWith("public ID 'ord_2\\u000axxxx")
        .hasMessageContaining("xxx…'")
        .hasMessageNotContaining("\n");
    assertThat(assertThrows(ORDERS, hostile).getMessage().length()).isLessThan(200);
    assertThatThrownBy(() -> ORDERS.decode(null)).isInstanceOf(NullPointerException.class);
  }

  private static InvalidPublicIdException assertThrows(PublicIdCodec codec, String input) {
    try {
      codec.decode(input);
    } catch (InvalidPublicIdException e) {
      return e;
    }
    throw new AssertionError("decoded: " + input);
  }

  private static void assertInvalid(
      PublicIdCodec codec, String input, Reason reason, String messagePart) {
    InvalidPublicIdException e = assertThrows(codec, input);
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(messagePart);
  }

  // ---- concurrency

  @Test
  void manyThreadsShareOneCodec() throws Exception {
    int n = 20_000;
    String[] expected = new String[n];
    for (int i = 0; i < n; i++) {
      expected[i] = CHECKED.encode(1_000_000L + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t * 997;
        results.add(
            pool.submit(
                () -> {
                  int mismatches = 0;
                  for (int k = 0; k < n; k++) {
                    int i = (k + offset) % n;
                    if (!CHECKED.encode(1_000_000L + i).equals(expected[i])
                        || CHECKED.decode(expected[i]) != 1_000_000L + i) {
                      mismatches++;
                    }
                  }
                  return mismatches;
                }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers

  static String render(long value, String digits, int width) {
    return render(BigInteger.valueOf(value), digits, width);
  }

  static String render(BigInteger value, String digits, int width) {
    char[] out = new char[width];
    BigInteger radix = BigInteger.valueOf(digits.length());
    for (int j = width - 1; j >= 0; j--) {
      BigInteger[] qr = value.divideAndRemainder(radix);
      out[j] = digits.charAt(qr[1].intValue());
      value = qr[0];
    }
    return new String(out);
  }
}
