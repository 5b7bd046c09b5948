package dev.idmint.core.publicid;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * FF1 (NIST SP 800-38G) with radix 2 on strings of {@code bits} binary digits, 20 to 63, for one
 * key and one tweak: a keyed permutation of [0, 2^bits). The value's bits, most significant first,
 * are the FF1 input string, so any FF1 implementation given radix 2, the same key and the same
 * tweak computes the same result (Bouncy Castle's does, bit for bit; see the tests).
 *
 * <h2>Design notes</h2>
 *
 * Radix 2 with at most 63 digits fixes every size in the algorithm: the halves have u = bits/2 and
 * v = bits - u digits (at most 32), so NUM(A), NUM(B) and every round value fit in a {@code long};
 * b = ceil(v / 8) is at most 4 bytes, so d = 4 ceil(b / 4) + 4 = 8 and S is the first 8 bytes of R
 * alone (no extra cipher calls). "mod 2^m" is a mask, and because 2^m divides 2^64 the 64-bit
 * wrap-around of {@code a + y} does not disturb it. No {@link java.math.BigInteger}, no allocation.
 *
 * <p>The PRF input P || Q is constant except for its last block: P and the tweak-and-padding blocks
 * of Q are the same in every round and every call. Their CBC-MAC chaining value, XORed with the
 * constant bytes of the last block, is computed once here ({@link #roundBase}); a round then costs
 * one AES block: {@code AES(roundBase xor (i || NUM(B)))} placed at the tail. Ten rounds, ten AES
 * blocks per value, each through the JDK's AES intrinsics.
 *
 * <p>Thread-safe and immutable; the per-thread cipher lives in {@link Aes}.
 */
final class BinaryFf1 {
  static final int MIN_BITS = 20;
  static final int MAX_BITS = 63;
  private static final int ROUNDS = 10;
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final Aes aes;
  private final int bits;
  private final int u;
  private final int v;
  private final int numBytes;
  private final long maskU;
  private final long maskV;
  private final byte[] roundBase;

  /**
   * @param aes the FF1 key
   * @param tweak the FF1 tweak, any length; copied into the precomputed state
   * @param bits the string length in binary digits, in [20, 63]
   * @throws IllegalArgumentException if {@code bits} is out of range
   */
  BinaryFf1(Aes aes, byte[] tweak, int bits) {
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException(
          "bits must be in [" + MIN_BITS + ", " + MAX_BITS + "]: bits=" + bits);
    }
    this.aes = aes;
    this.bits = bits;
    this.u = bits / 2;
    this.v = bits - u;
    this.numBytes = (v + 7) / 8;
    this.maskU = (1L << u) - 1;
    this.maskV = (1L << v) - 1;

    int t = tweak.length;
    byte[] p = {
      1,
      2,
      1,
      0,
      0,
      2,
      10,
      (byte) u,
      0,
      0,
      0,
      (byte) bits,
      (byte) (t >>> 24),
      (byte) (t >>> 16),
      (byte) (t >>> 8),
      (byte) t
    };
    int pad = Math.floorMod(-t - numBytes - 1, 16);
    byte[] q = new byte[t + pad + 1 + numBytes];
    System.arraycopy(tweak, 0, q, 0, t);
    // CBC-MAC over P and every block of Q but the last; those never change.
    byte[] constantPrefix = new byte[q.length];
    System.arraycopy(p, 0, constantPrefix, 0, 16);
    System.arraycopy(q, 0, constantPrefix, 16, q.length - 16);
    byte[] state = aes.cbcMac(constantPrefix);
    // The last block's round byte and NUM bytes are zero in q, so XORing them in later is placing.
    for (int j = 0; j < 16; j++) {
      state[j] ^= q[q.length - 16 + j];
    }
    this.roundBase = state;
  }

  int bits() {
    return bits;
  }

  /**
   * FF1.Encrypt of the {@code bits}-digit binary string of {@code x}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= x < 2^bits}
   */
  long encrypt(long x) {
    checkDomain(x);
    Aes.Block block = aes.block();
    long a = x >>> v;
    long b = x & maskV;
    for (int i = 0; i < ROUNDS; i++) {
      long y = roundFunction(block, i, b);
      long c = (a + y) & ((i & 1) == 0 ? maskU : maskV);
      a = b;
      b = c;
    }
    return (a << v) | b;
  }

  /**
   * FF1.Decrypt: the inverse of {@link #encrypt}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= x < 2^bits}
   */
  long decrypt(long x) {
    checkDomain(x);
    Aes.Block block = aes.block();
    long a = x >>> v;
    long b = x & maskV;
    for (int i = ROUNDS - 1; i >= 0; i--) {
      long y = roundFunction(block, i, a);
      long c = (b - y) & ((i & 1) == 0 ? maskU : maskV);
      b = a;
      a = c;
    }
    return (a << v) | b;
  }

  /** y = NUM(S) mod 2^64 for round i, where S = first 8 bytes of PRF(P || Q(i, half)). */
  private long roundFunction(Aes.Block block, int round, long half) {
    byte[] in = block.in;
    System.arraycopy(roundBase, 0, in, 0, 16);
    in[15 - numBytes] ^= (byte) round;
    for (int j = 0; j < numBytes; j++) {
      in[15 - j] ^= (byte) (half >>> (8 * j));
    }
    block.encrypt();
    return (long) LONG_BE.get(block.out, 0);
  }

  private void checkDomain(long x) {
    if (x < 0 || (x >>> bits) != 0) {
      throw new IllegalArgumentException(
          "value must be in [0, 2^" + bits + "): x=" + Long.toUnsignedString(x));
    }
  }

  @Override
  public String toString() {
    return "BinaryFf1[" + aes + ", bits=" + bits + "]";
  }
}
