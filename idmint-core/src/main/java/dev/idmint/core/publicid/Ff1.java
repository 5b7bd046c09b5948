package dev.idmint.core.publicid;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * NIST SP 800-38G FF1 (Algorithms 7 and 8) over AES, for any radix in [2, 2^16] and any string
 * length with {@code radix^n >= 1,000,000} (the domain floor of SP 800-38G Rev. 1).
 *
 * <p>This is the general, textbook form: numbers are {@link BigInteger}s, and each call allocates.
 * It exists to pin the algorithm to NIST's sample vectors and to Bouncy Castle's engine; public IDs
 * go through {@link BinaryFf1}, the same algorithm specialised to binary strings of at most 63
 * digits, which needs neither.
 *
 * <p>Thread-safe: the key's cipher is per thread (see {@link Aes}); the tweak is per call.
 */
final class Ff1 {
  static final int MIN_RADIX = 2;
  static final int MAX_RADIX = 1 << 16;
  private static final int ROUNDS = 10;
  private static final BigInteger MIN_DOMAIN = BigInteger.valueOf(1_000_000);

  private final Aes aes;
  private final int radix;
  private final BigInteger bigRadix;

  /**
   * @param key an AES-128, -192 or -256 key; copied
   * @throws IllegalArgumentException if the radix is outside [2, 65536] or the key has a bad length
   */
  Ff1(byte[] key, int radix) {
    if (radix < MIN_RADIX || radix > MAX_RADIX) {
      throw new IllegalArgumentException(
          "radix must be in [" + MIN_RADIX + ", " + MAX_RADIX + "]: radix=" + radix);
    }
    this.aes = new Aes(key);
    this.radix = radix;
    this.bigRadix = BigInteger.valueOf(radix);
  }

  int radix() {
    return radix;
  }

  /**
   * FF1.Encrypt: a string of the same length over the same radix.
   *
   * @throws IllegalArgumentException if a digit is outside [0, radix) or the domain is too small
   */
  int[] encrypt(int[] digits, byte[] tweak) {
    return crypt(digits, tweak, true);
  }

  /** FF1.Decrypt, the inverse of {@link #encrypt}; same preconditions. */
  int[] decrypt(int[] digits, byte[] tweak) {
    return crypt(digits, tweak, false);
  }

  private int[] crypt(int[] x, byte[] tweak, boolean encrypt) {
    int n = x.length;
    checkInput(x);
    int u = n / 2;
    int v = n - u;
    int t = tweak.length;
    // b = ceil(ceil(v * log2(radix)) / 8), exactly: ceil(log2(radix^v)) is the bit length of
    // radix^v - 1. Floating point gets this wrong for some powers of two.
    int b = (bigRadix.pow(v).subtract(BigInteger.ONE).bitLength() + 7) / 8;
    int d = 4 * ((b + 3) / 4) + 4;
    BigInteger modU = bigRadix.pow(u);
    BigInteger modV = bigRadix.pow(v);

    byte[] p = {
      1,
      2,
      1,
      (byte) (radix >>> 16),
      (byte) (radix >>> 8),
      (byte) radix,
      10,
      (byte) u,
      (byte) (n >>> 24),
      (byte) (n >>> 16),
      (byte) (n >>> 8),
      (byte) n,
      (byte) (t >>> 24),
      (byte) (t >>> 16),
      (byte) (t >>> 8),
      (byte) t
    };
    int pad = Math.floorMod(-t - b - 1, 16);
    byte[] pq = new byte[16 + t + pad + 1 + b];
    System.arraycopy(p, 0, pq, 0, 16);
    System.arraycopy(tweak, 0, pq, 16, t);
    int roundAt = 16 + t + pad;

    BigInteger a = num(x, 0, u);
    BigInteger bb = num(x, u, n);
    for (int k = 0; k < ROUNDS; k++) {
      int i = encrypt ? k : ROUNDS - 1 - k;
      pq[roundAt] = (byte) i;
      fill(pq, roundAt + 1, b, encrypt ? bb : a);
      BigInteger y = new BigInteger(1, expand(aes.cbcMac(pq), d));
      boolean even = (i & 1) == 0;
      BigInteger mod = even ? modU : modV;
      if (encrypt) {
        BigInteger c = a.add(y).mod(mod);
        a = bb;
        bb = c;
      } else {
        BigInteger c = bb.subtract(y).mod(mod);
        bb = a;
        a = c;
      }
    }
    int[] out = new int[n];
    str(a, out, 0, u);
    str(bb, out, u, n);
    return out;
  }

  private void checkInput(int[] x) {
    if (x.length < 2 || bigRadix.pow(x.length).compareTo(MIN_DOMAIN) < 0) {
      throw new IllegalArgumentException(
          "FF1 needs radix^n >= 1000000: radix=" + radix + ", n=" + x.length);
    }
    for (int j = 0; j < x.length; j++) {
      if (x[j] < 0 || x[j] >= radix) {
        throw new IllegalArgumentException(
            "digit " + j + " is outside [0, " + radix + "): " + x[j]);
      }
    }
  }

  /** S: the first d bytes of R || CIPH(R xor [1]^16) || CIPH(R xor [2]^16) || ... */
  private byte[] expand(byte[] r, int d) {
    byte[] s = Arrays.copyOf(r, ((d + 15) / 16) * 16);
    for (int j = 1; j * 16 < d; j++) {
      byte[] block = r.clone();
      for (int k = 0; k < 4; k++) {
        block[15 - k] ^= (byte) (j >>> (8 * k));
      }
      System.arraycopy(aes.encrypt(block), 0, s, 16 * j, 16);
    }
    return Arrays.copyOf(s, d);
  }

  private BigInteger num(int[] digits, int from, int to) {
    BigInteger value = BigInteger.ZERO;
    for (int j = from; j < to; j++) {
      value = value.multiply(bigRadix).add(BigInteger.valueOf(digits[j]));
    }
    return value;
  }

  private void str(BigInteger value, int[] out, int from, int to) {
    for (int j = to - 1; j >= from; j--) {
      BigInteger[] qr = value.divideAndRemainder(bigRadix);
      out[j] = qr[1].intValue();
      value = qr[0];
    }
  }

  /** Writes value as exactly {@code length} big-endian bytes at {@code at}. */
  private static void fill(byte[] target, int at, int length, BigInteger value) {
    byte[] bytes = value.toByteArray();
    int copy = Math.min(bytes.length, length);
    Arrays.fill(target, at, at + length, (byte) 0);
    System.arraycopy(bytes, bytes.length - copy, target, at + length - copy, copy);
  }

  @Override
  public String toString() {
    return "Ff1[" + aes + ", radix=" + radix + "]";
  }
}
