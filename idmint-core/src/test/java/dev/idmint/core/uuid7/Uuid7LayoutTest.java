package dev.idmint.core.uuid7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.core.snowflake.TickUnit;
import java.util.UUID;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class Uuid7LayoutTest {

  @Property
  void decodeGivesBackTheFieldsWhateverTheRandomBits(
      @ForAll @IntRange(min = 0, max = 10) int workerBitsLess,
      @ForAll @IntRange(min = 0, max = 10) int sequenceBitsLess,
      @ForAll @LongRange(min = 0, max = (1L << 30)) long tick,
      @ForAll int workerSeed,
      @ForAll int sequenceSeed,
      @ForAll long random) {
    Assume.that(workerBitsLess + sequenceBitsLess <= 10); // together at least the 12 of rand_a
    int workerBits = 10 - workerBitsLess;
    int sequenceBits = 12 - sequenceBitsLess;
    SnowflakeLayout snowflake =
        SnowflakeLayout.builder().workerBits(workerBits).sequenceBits(sequenceBits).build();
    Uuid7Layout layout = Uuid7Layout.of(snowflake);
    int worker = Math.floorMod(workerSeed, snowflake.maxWorker() + 1);
    int sequence = Math.floorMod(sequenceSeed, snowflake.maxSequence() + 1);

    UUID uuid = layout.fromSnowflake(snowflake.encode(tick, worker, sequence), random);
    Uuid7Id decoded = layout.decode(uuid);

    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(decoded.timestampMillis()).isEqualTo(snowflake.startMillisOf(tick));
    assertThat(decoded.worker()).isEqualTo(worker);
    assertThat(decoded.counter()).isEqualTo(sequence);
    assertThat(layout.randomBits()).isEqualTo(74 - workerBits - sequenceBits);
  }

  @Property
  void theRandomBitsNeverReachTheCounterOrTheWorker(@ForAll long random, @ForAll long other) {
    Uuid7Layout layout = Uuid7Layout.defaults();
    long raw = layout.snowflake().encode(1234, 567, 89);
    UUID a = layout.fromSnowflake(raw, random);
    UUID b = layout.fromSnowflake(raw, other);
    assertThat(a.getMostSignificantBits()).isEqualTo(b.getMostSignificantBits());
    assertThat(a.getLeastSignificantBits() >>> 52).isEqualTo(b.getLeastSignificantBits() >>> 52);
  }

  @Test
  void layoutsThatCannotBeWrittenAsUuidv7AreRefusedWithEveryReason() {
    SnowflakeLayout coarse =
        SnowflakeLayout.builder()
            .tickUnit(TickUnit.TEN_MILLISECONDS)
            .workerBits(4)
            .sequenceBits(4)
            .build();
    assertThatThrownBy(() -> Uuid7Layout.of(coarse))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).contains("time-unit must be ms"))
                    .anySatisfy(p -> assertThat(p).contains("must be >= 12")));
    SnowflakeLayout wide =
        SnowflakeLayout.builder().timestampBits(49).workerBits(2).sequenceBits(12).build();
    assertThatThrownBy(() -> Uuid7Layout.of(wide))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("48 bits of Unix milliseconds");
  }

  @Test
  void decodeRefusesWhatIsNotAUuidv7OfThisLayout() {
    Uuid7Layout layout = Uuid7Layout.defaults();
    assertThatThrownBy(() -> layout.decode(UUID.randomUUID()))
        .isInstanceOf(InvalidIdException.class)
        .hasMessageContaining("version 4");
    UUID good = layout.fromSnowflake(layout.snowflake().encode(10, 1, 1), 0);
    UUID wrongVariant =
        new UUID(good.getMostSignificantBits(), good.getLeastSignificantBits() & ~(1L << 63));
    assertThatThrownBy(() -> layout.decode(wrongVariant))
        .isInstanceOf(InvalidIdException.class)
        .hasMessageContaining("variant");
    UUID before = new UUID((1000L << 16) | 0x7000, 1L << 63);
    assertThatThrownBy(() -> layout.decode(before))
        .isInstanceOf(InvalidIdException.class)
        .hasMessageContaining("outside the layout's lifetime");
  }

  @Test
  void aPublishedRfc9562ExampleDecodesToItsTimestamp() {
    // RFC 9562 appendix A.6: 017F22E2-79B0-7CC3-98C4-DC0C0C07398F, "Tuesday, February 22, 2022
    // 2:22:22.00 PM GMT-05:00". It predates the default epoch, so decode it with a 1970 epoch.
    Uuid7Layout layout =
        Uuid7Layout.of(
            SnowflakeLayout.builder().epochMillis(0).timestampBits(42).workerBits(9).build());
    Uuid7Id decoded = layout.decode(UUID.fromString("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"));
    assertThat(decoded.timestampMillis()).isEqualTo(0x017F22E279B0L);
    assertThat(decoded.timestamp().toString()).isEqualTo("2022-02-22T19:22:22Z");
  }
}
