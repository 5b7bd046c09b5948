package dev.idmint.redis;

import dev.idmint.core.CoordinatorException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The one connection a {@link RedisCoordinator} shares between its stores, with the translation of
 * every Lettuce failure into a {@link CoordinatorException}.
 *
 * <p>Contract: a call either returns Redis's answer or throws {@link CoordinatorException} within
 * about the command timeout (Lettuce's command timeout, and commands are rejected at once while the
 * connection is down instead of being queued). A timed-out call's outcome is unknown and is
 * reported as a failure; because the connection rejects rather than replays commands, a command is
 * executed at most once per call.
 */
final class RedisSession {
  private final RedisCommands<String, String> commands;
  private final String where;
  private final Duration commandTimeout;
  private final int waitReplicas;

  RedisSession(
      RedisCommands<String, String> commands,
      String where,
      Duration commandTimeout,
      int waitReplicas) {
    this.commands = commands;
    this.where = where;
    this.commandTimeout = commandTimeout;
    this.waitReplicas = waitReplicas;
  }

  /** How many replicas must confirm each write ({@code WAIT}), 0 for none. */
  int waitReplicas() {
    return waitReplicas;
  }

  /**
   * With {@code wait-replicas} set, waits for that many replicas to confirm every write this
   * connection made so far ({@code WAIT}, for half the command timeout). Stores call it after a
   * write and before they hand its result out.
   *
   * @throws CoordinatorException if fewer replicas confirmed: the write stands on the primary but
   *     may be lost in a failover, so its result must not be used
   */
  void awaitReplicas(String action) {
    if (waitReplicas == 0) {
      return;
    }
    long waitMillis = Math.max(1, commandTimeout.toMillis() / 2);
    Long confirmed = call(action + " (WAIT)", r -> r.waitForReplication(waitReplicas, waitMillis));
    if (confirmed == null || confirmed < waitReplicas) {
      throw new CoordinatorException(
          action
              + " on "
              + where
              + " reached "
              + confirmed
              + " of "
              + waitReplicas
              + " replicas within "
              + waitMillis
              + " ms (wait-replicas); a failover could lose it, so it is not used");
    }
  }

  /** "Redis at host:port", for messages. */
  String where() {
    return where;
  }

  /**
   * Runs {@code operation} on the connection.
   *
   * @param action what is being done, for the message of a failure ("allocating 100 IDs of order")
   * @throws CoordinatorException if Redis failed, timed out or is not connected
   */
  <T> T call(String action, Function<RedisCommands<String, String>, T> operation) {
    try {
      return operation.apply(commands);
    } catch (RuntimeException e) {
      throw failure(action, e);
    }
  }

  /**
   * Runs {@code script} with {@code EVALSHA}, sending its source once more if Redis lost it.
   *
   * @return the script's reply: a list of {@code Long} and {@code String}
   * @throws CoordinatorException as {@link #call}
   */
  List<Object> run(String action, LuaScript script, String[] keys, String... args) {
    return call(
        action,
        redis -> {
          try {
            return redis.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args);
          } catch (RedisNoScriptException notCached) {
            return redis.eval(script.source(), ScriptOutputType.MULTI, keys, args);
          }
        });
  }

  /** Loads {@code script} into Redis's script cache and checks that Redis agrees on its digest. */
  void load(LuaScript script) {
    String sha1 =
        call("loading the " + script.name() + " script", r -> r.scriptLoad(script.source()));
    if (!script.sha1().equalsIgnoreCase(sha1)) {
      throw new CoordinatorException(
          where
              + " cached the "
              + script.name()
              + " script under digest "
              + sha1
              + ", expected "
              + script.sha1());
    }
  }

  /** A number at {@code index} of a script's reply, or a failure naming the unexpected reply. */
  long number(List<Object> reply, int index, String scriptName) {
    if (reply != null && index < reply.size() && reply.get(index) instanceof Long value) {
      return value;
    }
    throw unexpected(reply, scriptName);
  }

  /** A string at {@code index} of a script's reply, or a failure naming the unexpected reply. */
  String string(List<Object> reply, int index, String scriptName) {
    if (reply != null && index < reply.size() && reply.get(index) instanceof String value) {
      return value;
    }
    throw unexpected(reply, scriptName);
  }

  CoordinatorException unexpected(List<Object> reply, String scriptName) {
    return new CoordinatorException(
        where + " gave an unexpected answer to the " + scriptName + " script: " + reply);
  }

  private CoordinatorException failure(String action, RuntimeException e) {
    if (e instanceof RedisCommandInterruptedException) {
      Thread.currentThread().interrupt();
      return new CoordinatorException(
          action + " on " + where + " was interrupted; its outcome is unknown", e);
    }
    if (e instanceof RedisCommandTimeoutException) {
      return new CoordinatorException(
          where
              + " did not answer "
              + action
              + " within "
              + commandTimeout.toMillis()
              + " ms (command-timeout); its outcome is unknown",
          e);
    }
    return new CoordinatorException(action + " on " + where + " failed: " + e.getMessage(), e);
  }
}
