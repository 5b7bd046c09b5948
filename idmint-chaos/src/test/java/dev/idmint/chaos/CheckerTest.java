package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks on hand-made histories: each one fires on the violation it is for, and only then. */
class CheckerTest {
  static final int WORKER_BITS = 3;
  static final long T0 = Checker.EPOCH_MILLIS + 1_000_000;

  static long id(long millis, int worker, int sequence) {
    return ((millis - Checker.EPOCH_MILLIS) << (Checker.SEQUENCE_BITS + WORKER_BITS))
        | ((long) worker << Checker.SEQUENCE_BITS)
        | sequence;
  }

  record Issued(int slot, int incarnation, long sendMillis, long[] ids) {}

  static Checker.Result check(
      List<NodeProcess.Claim> claims,
      List<Campaign.Window> windows,
      Map<Integer, Long> horizons,
      Issued... issued) {
    return check(
        claims, windows, List.of(new HorizonPoller.Snapshot(T0 + 60_000, horizons)), issued);
  }

  static Checker.Result check(
      List<NodeProcess.Claim> claims,
      List<Campaign.Window> windows,
      List<HorizonPoller.Snapshot> polls,
      Issued... issued) {
    Ledger ledger = new Ledger();
    Ledger.Book book = ledger.newBook();
    for (Issued i : issued) {
      int first = book.addIds(i.ids(), i.ids().length);
      book.calls.add(
          new Ledger.Call(
              Ledger.Via.REST,
              0,
              i.slot(),
              i.incarnation(),
              i.incarnation(),
              i.sendMillis(),
              i.sendMillis() + 5,
              5_000,
              null,
              first,
              i.ids().length));
    }
    Campaign.Spec spec =
        new Campaign.Spec(
            "unit",
            CoordinatorUnderTest.Kind.POSTGRES,
            1,
            2,
            2,
            WORKER_BITS,
            1,
            null,
            List.of(),
            false,
            Duration.ZERO,
            10);
    Campaign.Outcome outcome =
        new Campaign.Outcome(
            spec,
            ledger,
            claims,
            polls,
            List.of(),
            windows,
            List.of(),
            List.of(),
            "none",
            T0,
            T0 + 60_000);
    return Checker.check(outcome);
  }

  static NodeProcess.Claim claim(int incarnation, int worker, long token, long previousHorizon) {
    return new NodeProcess.Claim(
        incarnation, incarnation, worker, token, previousHorizon, T0, false);
  }

  @Test
  void aCleanHistoryHasNoViolation() {
    Checker.Result r =
        check(
            List.of(claim(1, 0, 1, 0), claim(2, 1, 1, 0)),
            List.of(),
            Map.of(0, T0 + 10_000, 1, T0 + 10_000),
            new Issued(1, 1, T0, new long[] {id(T0 + 1, 0, 0), id(T0 + 1, 0, 1)}),
            new Issued(2, 2, T0, new long[] {id(T0 + 1, 1, 0)}));
    assertThat(r.totalViolations()).isZero();
    assertThat(r.ids).isEqualTo(3);
  }

  @Test
  void theSameIdTwiceIsADuplicate() {
    Checker.Result r =
        check(
            List.of(claim(1, 0, 1, 0)),
            List.of(),
            Map.of(0, T0 + 10_000),
            new Issued(1, 1, T0, new long[] {id(T0 + 1, 0, 0)}),
            new Issued(1, 1, T0 + 1, new long[] {id(T0 + 1, 0, 0)}));
    assertThat(r.duplicates).isEqualTo(1);
  }

  @Test
  void anIdInTheNextHoldersRangeIsFenced() {
    // incarnation 1 held worker 0 until incarnation 2 claimed it with previous horizon T0 + 2000.
    Checker.Result r =
        check(
            List.of(claim(1, 0, 1, 0), claim(2, 0, 2, T0 + 2_000)),
            List.of(),
            Map.of(0, T0 + 10_000),
            new Issued(1, 1, T0, new long[] {id(T0 + 1_000, 0, 0), id(T0 + 3_000, 0, 0)}));
    assertThat(r.fencedNodeIds).as("the ID at T0+3000 belongs to incarnation 2").isEqualTo(1);
  }

  /**
   * Sent after another process had claimed the worker: fenced, unless that claim's floor was raised
   * because the coordinator lost writes; then counted apart, below the new holder's floor.
   */
  @Test
  void anIdSentAfterTheWorkerWasTakenIsFencedUnlessTheCoordinatorLostTheClaim() {
    long seen = T0 + 500;
    NodeProcess.Claim first = claim(1, 0, 1, 0);
    long[] ids = {id(T0 + 1_000, 0, 0)};
    Checker.Result ordinary =
        check(
            List.of(first, new NodeProcess.Claim(2, 2, 0, 2, T0 + 5_000, seen, false)),
            List.of(),
            Map.of(0, T0 + 10_000),
            new Issued(1, 1, T0 + 1_000, ids));
    assertThat(ordinary.fencedNodeIds).isEqualTo(1);
    assertThat(ordinary.afterLostClaim).isZero();

    Checker.Result lost =
        check(
            List.of(first, new NodeProcess.Claim(2, 2, 0, 2, T0 + 5_000, seen, true)),
            List.of(),
            Map.of(0, T0 + 10_000),
            new Issued(1, 1, T0 + 1_000, ids));
    assertThat(lost.fencedNodeIds).isZero();
    assertThat(lost.afterLostClaim).isEqualTo(1);
    assertThat(lost.totalViolations()).isZero();
  }

  @Test
  void anIdAboveTheRecordedHorizonIsReported() {
    Checker.Result r =
        check(
            List.of(claim(1, 0, 1, 0)),
            List.of(),
            Map.of(0, T0 + 100),
            new Issued(1, 1, T0, new long[] {id(T0 + 50, 0, 0), id(T0 + 200, 0, 1)}));
    assertThat(r.beyondHorizon).isEqualTo(1);
  }

  /**
   * Answered after a poll and before the next one, which found the horizon gone back (lost writes):
   * within one reserve of its answer the ID is counted apart, beyond that it is a violation;
   * without the step back it is a violation too.
   */
  @Test
  void anIdAboveTheLastPollBeforeLostWritesIsCountedApartWithinOneReserve() {
    long reserve = Campaign.HORIZON.toMillis();
    // Answered at T0 + 5 (see check): polled horizon T0 + 100 before, T0 - 900 after the loss.
    List<HorizonPoller.Snapshot> lost =
        List.of(
            new HorizonPoller.Snapshot(T0 - 50, Map.of(0, T0 + 100)),
            new HorizonPoller.Snapshot(T0 + 1_000, Map.of(0, T0 - 900)));
    long[] ids = {id(T0 + 150, 0, 0), id(T0 + 5 + reserve + 1, 0, 1)};
    Checker.Result r =
        check(List.of(claim(1, 0, 1, 0)), List.of(), lost, new Issued(1, 1, T0, ids));
    assertThat(r.aboveLostHorizon).isEqualTo(1);
    assertThat(r.beyondHorizon).as("more than one reserve ahead of its answer").isEqualTo(1);

    List<HorizonPoller.Snapshot> kept =
        List.of(
            new HorizonPoller.Snapshot(T0 - 50, Map.of(0, T0 + 100)),
            new HorizonPoller.Snapshot(T0 + 1_000, Map.of(0, T0 + 100)));
    Checker.Result k =
        check(
            List.of(claim(1, 0, 1, 0)),
            List.of(),
            kept,
            new Issued(1, 1, T0, new long[] {id(T0 + 150, 0, 0)}));
    assertThat(k.aboveLostHorizon).isZero();
    assertThat(k.beyondHorizon).as("the horizon never went back").isEqualTo(1);
  }

  @Test
  void anIdFromAClockBehindNodeIsReported() {
    Checker.Result r =
        check(
            List.of(claim(1, 0, 1, 0)),
            // stepped back 2 s at T0 + 100 (window from T0 + 200), restored at T0 + 3000
            List.of(new Campaign.Window("clock behind", 1, T0 + 200, T0 + 3_000, true, 2_000)),
            Map.of(0, T0 + 10_000),
            new Issued(1, 1, T0, new long[] {id(T0, 0, 0)}),
            new Issued(1, 1, T0 + 500, new long[] {id(T0 + 1, 0, 0)}),
            new Issued(1, 1, T0 + 2_500, new long[] {id(T0 + 2_500, 0, 0)}));
    assertThat(r.refusingNodeIds)
        .as("only the ID at T0+500: from T0+1990 the clock is past what the node had seen")
        .isEqualTo(1);
  }

  @Test
  void aNodeThatIssuedNothingBeforeAClockStepMayIssueAtOnce() {
    Checker.Result r =
        check(
            List.of(claim(1, 0, 1, 0)),
            List.of(new Campaign.Window("clock behind", 1, T0 + 200, T0 + 3_000, true, 2_000)),
            Map.of(0, T0 + 10_000),
            new Issued(1, 1, T0 + 500, new long[] {id(T0 + 1, 0, 0)}));
    assertThat(r.refusingNodeIds).isZero();
  }
}
