package dev.idmint.core.publicid;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES key, usable from many threads: the JDK's {@link Cipher} is not thread-safe, so each
 * thread gets its own cipher, initialised once and kept with two 16-byte scratch buffers. The hot
 * path is then one {@link ThreadLocal} lookup and one {@code Cipher.update} per block, with no
 * allocation.
 *
 * <p>A thread holds its cipher (and so the key schedule) for as long as the thread and this object
 * live. Virtual threads each build their own cipher on first use, a few microseconds.
 *
 * <p>Never prints key material: {@link #toString()} names only the key size.
 */
final class Aes {
  static final int BLOCK_BYTES = 16;

  private final SecretKeySpec key;
  private final int keyBytes;
  private final ThreadLocal<Block> blocks;

  /**
   * @param key 16, 24 or 32 bytes; copied, so the caller may clear its array afterwards
   * @throws IllegalArgumentException on another length
   */
  Aes(byte[] key) {
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException(
          "an AES key has 16, 24 or 32 bytes, not " + key.length + " bytes");
    }
    this.key = new SecretKeySpec(key, "AES");
    this.keyBytes = key.length;
    this.blocks = ThreadLocal.withInitial(() -> new Block(newCipher(this.key)));
  }

  /** This thread's cipher and scratch buffers. Never share the result with another thread. */
  Block block() {
    return blocks.get();
  }

  /** Encrypts one block; allocates. For set-up code, not for hot paths. */
  byte[] encrypt(byte[] block16) {
    Block block = block();
    System.arraycopy(block16, 0, block.in, 0, BLOCK_BYTES);
    block.encrypt();
    return Arrays.copyOf(block.out, BLOCK_BYTES);
  }

  /**
   * The CBC-MAC of {@code data} (a whole number of blocks) with a zero IV: NIST SP 800-38G's PRF.
   */
  byte[] cbcMac(byte[] data) {
    if (data.length % BLOCK_BYTES != 0) {
      throw new IllegalArgumentException("CBC-MAC input must be whole blocks: " + data.length);
    }
    byte[] state = new byte[BLOCK_BYTES];
    for (int off = 0; off < data.length; off += BLOCK_BYTES) {
      for (int j = 0; j < BLOCK_BYTES; j++) {
        state[j] ^= data[off + j];
      }
      state = encrypt(state);
    }
    return state;
  }

  @Override
  public String toString() {
    return "AES-" + keyBytes * 8;
  }

  private static Cipher newCipher(SecretKeySpec key) {
    try {
      Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key);
      return cipher;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide AES/ECB/NoPadding; a failure here is a broken JDK.
      throw new IllegalStateException("the JDK cannot provide AES/ECB/NoPadding", e);
    }
  }

  /** One thread's cipher: encrypts {@link #in} into {@link #out}. */
  static final class Block {
    final byte[] in = new byte[BLOCK_BYTES];
    final byte[] out = new byte[BLOCK_BYTES];
    private final Cipher cipher;

    private Block(Cipher cipher) {
      this.cipher = cipher;
    }

    void encrypt() {
      try {
        cipher.update(in, 0, BLOCK_BYTES, out, 0);
      } catch (GeneralSecurityException e) {
        // ECB without padding on exactly one block into a 16-byte buffer cannot fail.
        throw new IllegalStateException("AES block encryption failed", e);
      }
    }
  }
}
