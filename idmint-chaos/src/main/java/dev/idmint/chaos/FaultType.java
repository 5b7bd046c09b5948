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
  DB_STOP_IMMEDIATE("pg_ctl stop -m immediate, started again after 1 s", Needs.PRIVATE_POSTGRES),
  DB_KILL_UNDER_HORIZON(
      "kill -9 of the database server, restarted after 0.5 s (outage under the horizon)",
      Needs.PRIVATE_ENGINE),
  DB_KILL_OVER_HORIZON(
      "kill -9 of the database server, restarted after 2x the horizon (under the TTL)",
      Needs.PRIVATE_ENGINE),
  DB_KILL_OVER_TTL(
      "kill -9 of the database server, restarted after 2x the TTL", Needs.PRIVATE_ENGINE),
  DB_RESTORE_BACKUP(
      "online backup, 1 s of renewals, kill -9, restore the backup, start: horizons go back",
      Needs.PRIVATE_POSTGRES),
  ZK_LEADER_KILL(
      "the ZooKeeper ensemble's leader killed, started again after 2 s", Needs.ZOOKEEPER_ENSEMBLE),
  /** Negative control only: a paused node's worker is taken by a new node meanwhile. */
  PAUSE_WHILE_TAKEN_OVER("SIGSTOP 3x TTL while a new node claims its worker", true, false);

  /** What a coordinator must offer for the fault: the database faults need an engine of our own. */
  enum Needs {
    NOTHING,
    /** A private engine ({@code PrivatePostgres}, {@code PrivateMariaDb}) that may be killed. */
    PRIVATE_ENGINE,
    /** A private PostgreSQL: {@code pg_ctl stop -m immediate}, {@code pg_basebackup}. */
    PRIVATE_POSTGRES,
    /** A 3-server ZooKeeper ensemble whose leader can be killed. */
    ZOOKEEPER_ENSEMBLE
  }

  final String description;
  final boolean singleNode;
  final boolean needsFaketime;
  final Needs needs;

  FaultType(String description, boolean singleNode, boolean needsFaketime) {
    this.description = description;
    this.singleNode = singleNode;
    this.needsFaketime = needsFaketime;
    this.needs = Needs.NOTHING;
  }

  /** A database fault: it concerns every node, needs no libfaketime. */
  FaultType(String description, Needs needs) {
    this.description = description;
    this.singleNode = false;
    this.needsFaketime = false;
    this.needs = needs;
  }

  String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
