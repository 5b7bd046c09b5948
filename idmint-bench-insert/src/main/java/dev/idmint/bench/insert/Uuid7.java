package dev.idmint.bench.insert;

import dev.idmint.core.Clock;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562 §5.7) made on the client: 48 bits of Unix milliseconds, the version
 * nibble 7, 12 random bits, the variant {@code 10}, 62 random bits. Values of one millisecond are
 * not ordered among themselves (no counter, the simplest form the RFC allows), so an index sees
 * ascending keys from one millisecond to the next and random ones within it — what most UUIDv7
 * libraries do by default.
 *
 * <p>For the benchmark only: one instance per thread (the random source is not thread-safe) and not
 * a source of secrets.
 */
final class Uuid7 {
  private final Clock clock;
  private final SplittableRandom random;

  Uuid7(Clock clock, long seed) {
    this.clock = clock;
    this.random = new SplittableRandom(seed);
  }

  UUID next() {
    long millis = clock.wallMillis() & 0xFFFF_FFFF_FFFFL;
    long bits = random.nextLong();
    long msb = (millis << 16) | 0x7000L | (bits & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  /** The Unix milliseconds a version-7 UUID carries. */
  static long millisOf(UUID uuid) {
    return uuid.getMostSignificantBits() >>> 16;
  }
}
