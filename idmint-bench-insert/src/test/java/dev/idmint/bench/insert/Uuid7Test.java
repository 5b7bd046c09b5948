package dev.idmint.bench.insert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.ManualClock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Uuid7Test {
  private static final long T0 = 1_764_547_200_000L; // 2025-12-01T00:00:00Z

  @Test
  void carriesVersionSevenTheVariantAndTheClocksMilliseconds() {
    ManualClock clock = new ManualClock(T0);
    Uuid7 uuids = new Uuid7(clock, 42);
    for (int i = 0; i < 1_000; i++) {
      UUID uuid = uuids.next();
      assertThat(uuid.version()).isEqualTo(7);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(Uuid7.millisOf(uuid)).isEqualTo(T0 + i);
      clock.advanceMillis(1);
    }
  }

  @Test
  void laterMillisecondsSortAfterEarlierOnesAndValuesDiffer() {
    ManualClock clock = new ManualClock(T0);
    Uuid7 uuids = new Uuid7(clock, 7);
    Set<UUID> seen = new HashSet<>();
    UUID previous = uuids.next();
    seen.add(previous);
    for (int i = 0; i < 10_000; i++) {
      if (i % 10 == 0) {
        clock.advanceMillis(1);
        UUID next = uuids.next();
        assertThat(next).isGreaterThan(previous);
        previous = next;
        assertThat(seen.add(next)).isTrue();
      } else {
        assertThat(seen.add(uuids.next())).isTrue();
      }
    }
  }

  @Test
  void bytesAreBigEndianSoBinaryOrderIsTimeOrder() {
    UUID uuid = UUID.fromString("0192d3a4-5b6c-7d8e-9fa0-b1c2d3e4f506");
    byte[] bytes = KeySource.bytes(uuid);
    assertThat(bytes)
        .containsExactly(
            0x01, 0x92, 0xd3, 0xa4, 0x5b, 0x6c, 0x7d, 0x8e, 0x9f, 0xa0, 0xb1, 0xc2, 0xd3, 0xe4,
            0xf5, 0x06);
  }
}
