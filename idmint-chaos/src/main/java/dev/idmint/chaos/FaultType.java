package dev.idmint.chaos;

/** What the campaign does to the cluster, one at a time. */
enum FaultType {
  KILL_RESTART("kill -9, restart after 0-5 s", true, false),
  PAUSE_UNDER_TTL("SIGSTOP for half the lease TTL", true, false),
  PAUSE_OVER_TTL("SIGSTOP for the TTL + 1 s", true, false),
  PAUSE_3X_TTL("SIGSTOP for 3x the TTL", true, false),
  CLOCK_BACK_5MS("wall clock stepped back 5 ms while running", true, true),
  CLOCK_BACK_2S("wall clock stepped back 2 s while running", true, true),
  CLOCK_BACK_1H("wall clock stepped back 1 h while running", true, true),
  RESTART_CLOCK_BACK_1S("kill -9, restart with the clock 1 s behind", true, true),
  RESTART_CLOCK_BACK_10S("kill -9, restart with the clock 10 s behind", true, true),
  RESTART_CLOCK_BACK_1H("kill -9, restart with the clock 1 h behind", true, true),
  COORDINATOR_OUTAGE_UNDER_TTL("coordinator away for less than the TTL", false, false),
  COORDINATOR_OUTAGE_OVER_TTL("coordinator away for 2x the TTL", false, false),
  CLIENT_PATH_CUT("the client's path to one node cut for 5 s", true, false),
  DUPLICATE_STATIC_WORKER("a second node with a static worker already held", false, false),
  /** Negative control only: a paused node's worker is taken by a new node meanwhile. */
  PAUSE_WHILE_TAKEN_OVER("SIGSTOP 3x TTL while a new node claims its worker", true, false);

  final String description;
  final boolean singleNode;
  final boolean needsFaketime;

  FaultType(String description, boolean singleNode, boolean needsFaketime) {
    this.description = description;
    this.singleNode = singleNode;
    this.needsFaketime = needsFaketime;
  }

  String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
