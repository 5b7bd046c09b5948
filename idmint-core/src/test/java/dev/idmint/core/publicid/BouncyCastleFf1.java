package dev.idmint.core.publicid;

import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Bouncy Castle's FF1 engine, the reference our FF1 is checked against, bit for bit. Stateful: one
 * per thread. Digits go in as Bouncy Castle expects them: one byte per digit up to radix 256, two
 * big-endian bytes per digit above.
 */
final class BouncyCastleFf1 {
  private final FPEFF1Engine encryptor = new FPEFF1Engine();
  private final FPEFF1Engine decryptor = new FPEFF1Engine();
  private final int radix;
  private final byte[] bits = new byte[63];

  BouncyCastleFf1(byte[] key, int radix, byte[] tweak) {
    this.radix = radix;
    encryptor.init(true, new FPEParameters(new KeyParameter(key), radix, tweak));
    decryptor.init(false, new FPEParameters(new KeyParameter(key), radix, tweak));
  }

  int[] encrypt(int[] digits) {
    return process(encryptor, digits);
  }

  int[] decrypt(int[] digits) {
    return process(decryptor, digits);
  }

  /** FF1 with radix 2 on the 63 bits of {@code x}, most significant first. */
  long encrypt63(long x) {
    return process63(encryptor, x);
  }

  long decrypt63(long x) {
    return process63(decryptor, x);
  }

  private long process63(FPEFF1Engine engine, long x) {
    for (int j = 0; j < 63; j++) {
      bits[j] = (byte) ((x >>> (62 - j)) & 1);
    }
    engine.processBlock(bits, 0, 63, bits, 0);
    long y = 0;
    for (int j = 0; j < 63; j++) {
      y = (y << 1) | bits[j];
    }
    return y;
  }

  private int[] process(FPEFF1Engine engine, int[] digits) {
    int width = radix > 256 ? 2 : 1;
    byte[] in = new byte[digits.length * width];
    for (int j = 0; j < digits.length; j++) {
      if (width == 2) {
        in[2 * j] = (byte) (digits[j] >>> 8);
        in[2 * j + 1] = (byte) digits[j];
      } else {
        in[j] = (byte) digits[j];
      }
    }
    byte[] out = new byte[in.length];
    engine.processBlock(in, 0, in.length, out, 0);
    int[] result = new int[digits.length];
    for (int j = 0; j < digits.length; j++) {
      result[j] = width == 2 ? ((out[2 * j] & 0xff) << 8) | (out[2 * j + 1] & 0xff) : out[j] & 0xff;
    }
    return result;
  }
}
