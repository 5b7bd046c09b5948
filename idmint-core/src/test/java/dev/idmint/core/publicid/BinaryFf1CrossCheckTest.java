package dev.idmint.core.publicid;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The permutation behind every public ID, checked bit for bit against Bouncy Castle's FF1 engine on
 * a million random 63-bit inputs: FF1 radix 2, 63 digits, AES-128 and AES-256 keys, short and long
 * tweaks.
 */
class BinaryFf1CrossCheckTest {
  private static final int INPUTS = 1_000_000;
  private static final String[] NAMESPACES = {"order", "user", "x", "a-namespace-name-of-63-chars"};

  @Test
  void encryptsAMillionRandomValuesExactlyAsBouncyCastleDoes() {
    SplittableRandom random = new SplittableRandom(20_250_101);
    int perSetting = INPUTS / NAMESPACES.length;
    long checked = 0;
    for (int setting = 0; setting < NAMESPACES.length; setting++) {
      byte[] key = Ff1Test.randomBytes(random, setting % 2 == 0 ? 16 : 32);
      byte[] tweak = NAMESPACES[setting].getBytes(StandardCharsets.UTF_8);
      BinaryFf1 ours = new BinaryFf1(new Aes(key), tweak, 63);
      BouncyCastleFf1 reference = new BouncyCastleFf1(key, 2, tweak);
      for (int i = 0; i < perSetting; i++) {
        long x = random.nextLong() >>> 1;
        long encrypted = ours.encrypt(x);
        if (encrypted != reference.encrypt63(x) || ours.decrypt(encrypted) != x) {
          assertThat(encrypted)
              .as("FF1(%d) in %s", x, NAMESPACES[setting])
              .isEqualTo(reference.encrypt63(x));
          assertThat(ours.decrypt(encrypted)).as("decrypt(FF1(%d))", x).isEqualTo(x);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(INPUTS);
  }

  @Test
  void decryptsAsBouncyCastleDoesAtTheEdges() {
    SplittableRandom random = new SplittableRandom(7);
    byte[] key = Ff1Test.randomBytes(random, 16);
    byte[] tweak = "order".getBytes(StandardCharsets.UTF_8);
    BinaryFf1 ours = new BinaryFf1(new Aes(key), tweak, 63);
    BouncyCastleFf1 reference = new BouncyCastleFf1(key, 2, tweak);
    for (int k = 0; k < 63; k++) {
      for (long x : new long[] {(1L << k) - 1, 1L << k, (1L << k) + 1, Long.MAX_VALUE - k}) {
        assertThat(ours.encrypt(x)).isEqualTo(reference.encrypt63(x));
        assertThat(ours.decrypt(x)).isEqualTo(reference.decrypt63(x));
      }
    }
    for (int i = 0; i < 10_000; i++) {
      long y = random.nextLong() >>> 1;
      assertThat(ours.decrypt(y)).isEqualTo(reference.decrypt63(y));
    }
  }
}
