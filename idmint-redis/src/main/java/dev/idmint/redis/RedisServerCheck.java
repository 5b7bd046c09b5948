package dev.idmint.redis;

import dev.idmint.core.CoordinatorException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * What {@link RedisCoordinator#start()} checks on the server, and how it turns a failure to open
 * into one sentence that names what to fix.
 */
final class RedisServerCheck {
  private static final System.Logger LOG = System.getLogger(RedisCoordinator.class.getName());
  private static final int MIN_MAJOR_VERSION = 5;

  /** The ACL command rules a user needs, besides access to the keys under the prefix. */
  static final String REQUIRED_PERMISSIONS =
      "+@connection +@scripting +@string +@hash +@keyspace +info +time";

  private RedisServerCheck() {}

  /**
   * Refuses a server older than Redis 5.0 (scripts that read {@code TIME} before writing need
   * effects replication), a replica (it refuses writes, and a node must never coordinate through a
   * copy that lags) and fewer connected replicas than {@code wait-replicas}. Warns, once, about a
   * setup that can lose acknowledged writes: replicas without {@code wait-replicas}, no AOF, an
   * eviction policy other than {@code noeviction}. A user not allowed to run {@code INFO} skips
   * these checks.
   *
   * @throws CoordinatorException naming the problem
   */
  static void check(RedisSession session) {
    String info =
        session.call(
            "reading INFO",
            redis -> {
              try {
                return String.join(
                    "\n",
                    redis.info("server"),
                    redis.info("replication"),
                    redis.info("persistence"),
                    redis.info("memory"));
              } catch (RedisCommandExecutionException e) {
                if (String.valueOf(e.getMessage()).startsWith("NOPERM")) {
                  return "";
                }
                throw e;
              }
            });
    String where = session.where();
    Matcher version = field(info, "redis_version", "(\\d+)\\.(\\d+)\\S*");
    if (version != null && Integer.parseInt(version.group(1)) < MIN_MAJOR_VERSION) {
      throw new CoordinatorException(
          "Redis "
              + version.group(1)
              + "."
              + version.group(2)
              + " at "
              + where.substring("Redis at ".length())
              + " is too old; idmint needs Redis "
              + MIN_MAJOR_VERSION
              + ".0 or later");
    }
    Matcher role = field(info, "role", "(\\S+)");
    if (role != null && !role.group(1).equals("master")) {
      throw new CoordinatorException(
          where
              + " is a replica (role:"
              + role.group(1)
              + "); point the coordinator URL at the primary");
    }
    Matcher replicas = field(info, "connected_slaves", "(\\d+)");
    int connected = replicas == null ? 0 : Integer.parseInt(replicas.group(1));
    if (replicas != null && connected < session.waitReplicas()) {
      throw new CoordinatorException(
          where
              + " has "
              + connected
              + " connected replicas, fewer than wait-replicas="
              + session.waitReplicas()
              + "; every write would fail: lower wait-replicas or connect the replicas");
    }
    List<String> risks = new ArrayList<>();
    if (connected > 0 && session.waitReplicas() == 0) {
      risks.add(connected + " replicas but wait-replicas=0 (a failover can lose writes)");
    }
    Matcher aof = field(info, "aof_enabled", "(\\d+)");
    if (aof != null && aof.group(1).equals("0")) {
      risks.add("no AOF (a restart loses writes since the last snapshot, if any)");
    }
    Matcher maxMemory = field(info, "maxmemory", "(\\d+)");
    Matcher policy = field(info, "maxmemory_policy", "(\\S+)");
    if (maxMemory != null
        && !maxMemory.group(1).equals("0")
        && policy != null
        && !policy.group(1).equals("noeviction")) {
      risks.add("maxmemory-policy " + policy.group(1) + " (can evict claims or counters)");
    }
    if (!risks.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "{0} can lose acknowledged claims, horizons or segment counters, so duplicate IDs are"
              + " possible after a failure: {1}; see idmint-redis README.md",
          where,
          String.join(", ", risks));
    }
  }

  /** The value of {@code name} in INFO output, matched against {@code value}, or null. */
  private static Matcher field(String info, String name, String value) {
    Matcher matcher = Pattern.compile("(?m)^" + name + ":" + value + "\\r?$").matcher(info);
    return matcher.find() ? matcher : null;
  }

  /** One readable sentence for a failure to open the coordinator, naming what to fix. */
  static CoordinatorException openFailure(
      RedisUrl url,
      String keyPrefix,
      Duration connectTimeout,
      Duration commandTimeout,
      RuntimeException failure) {
    String where = "Redis at " + url.address();
    String message = null;
    for (Throwable t = failure; t != null && message == null; t = t.getCause()) {
      message = explain(url, where, keyPrefix, connectTimeout, commandTimeout, t);
    }
    if (message == null) {
      if (failure instanceof CoordinatorException readable) {
        return readable;
      }
      message = "cannot open " + where + ": " + deepestMessage(failure);
    }
    return new CoordinatorException(message, failure);
  }

  private static String explain(
      RedisUrl url,
      String where,
      String keyPrefix,
      Duration connectTimeout,
      Duration commandTimeout,
      Throwable t) {
    String error = String.valueOf(t.getMessage());
    if (t instanceof RedisCommandExecutionException) {
      if (error.contains("without any password configured")
          || error.contains("no password is set")) {
        return where
            + " has no password configured, but a password was given ("
            + error
            + "); remove the password from the coordinator options or URL, or set one on the"
            + " server (requirepass)";
      }
      if (error.startsWith("WRONGPASS")
          || error.startsWith("ERR invalid password")
          || error.startsWith("ERR invalid username-password")) {
        return where
            + " rejected the credentials"
            + (url.user() != null ? " of user " + url.user() : "")
            + " ("
            + error
            + "); check the password (and user) in the coordinator options or URL";
      }
      if (error.startsWith("NOAUTH")) {
        return where
            + " requires a password ("
            + error
            + "); set the password option or put it in the URL (redis://:password@host)";
      }
      if (error.startsWith("NOPERM")) {
        return where
            + " refused a command idmint needs ("
            + error
            + "); grant the user "
            + REQUIRED_PERMISSIONS
            + " and keys ~"
            + keyPrefix
            + "*";
      }
      if (error.contains("DB index")) {
        return where
            + " refused database "
            + url.database()
            + " ("
            + error
            + "); use a database number below the server's 'databases' setting";
      }
      if (error.startsWith("DENIED")) {
        return where + " refused the connection: " + error;
      }
      if (error.startsWith("LOADING")) {
        return where + " is still loading its data set; try again when it is ready";
      }
      return null;
    }
    if (t instanceof SSLException) {
      return "TLS with "
          + where
          + " failed ("
          + error
          + "); if the server does not speak TLS use redis:// instead of rediss://, otherwise"
          + " check its certificate against this JVM's trust store";
    }
    if (t instanceof UnknownHostException) {
      return "cannot reach "
          + where
          + ": unknown host "
          + url.host()
          + "; check the host in the coordinator URL";
    }
    if (t instanceof ConnectTimeoutException) {
      return "cannot reach "
          + where
          + ": no TCP connection within "
          + connectTimeout.toMillis()
          + " ms (connect-timeout); check the host, port and firewalls";
    }
    if (t instanceof ConnectException) {
      return "cannot reach "
          + where
          + " ("
          + error
          + "); check the host and port in the coordinator URL and that redis-server runs there";
    }
    if (t instanceof RedisCommandTimeoutException && url.tls()) {
      return "cannot reach "
          + where
          + " over TLS: no answer within "
          + commandTimeout.toMillis()
          + " ms (command-timeout); if the server does not speak TLS use redis:// instead of"
          + " rediss://";
    }
    if (t instanceof RedisCommandTimeoutException) {
      return "cannot reach "
          + where
          + ": it accepted a connection but did not answer within "
          + commandTimeout.toMillis()
          + " ms (command-timeout); check that it is a Redis server (and not one that expects"
          + " TLS: rediss://)";
    }
    if (t instanceof IOException) {
      return "cannot reach "
          + where
          + ": the connection closed during the handshake ("
          + error
          + "); check that it is a Redis server"
          + (url.tls() ? " that speaks TLS" : " (and not one that expects TLS: rediss://)");
    }
    return null;
  }

  private static String deepestMessage(Throwable failure) {
    String message = failure.toString();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }
}
