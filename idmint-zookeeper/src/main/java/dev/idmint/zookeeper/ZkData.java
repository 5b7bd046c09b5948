package dev.idmint.zookeeper;

import dev.idmint.core.CoordinatorException;
import java.nio.charset.StandardCharsets;

/**
 * The text stored in this module's nodes, readable with {@code zkCli.sh get}. Unreadable content is
 * an error, never read as 0: a horizon or a range end read too low would break uniqueness.
 */
final class ZkData {
  private ZkData() {}

  static byte[] encodeLong(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * @throws CoordinatorException if {@code data} is not a decimal number
   */
  static long decodeLong(String path, byte[] data) {
    String text = data == null ? "" : new String(data, StandardCharsets.UTF_8);
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new CoordinatorException(
          "ZooKeeper node "
              + path
              + " holds '"
              + abbreviate(text)
              + "' where a decimal number was expected; it was changed outside idmint");
    }
  }

  /**
   * What a claim node holds.
   *
   * @param ttlMillis the lease time granted by the last claim or renewal, by ZooKeeper's clock from
   *     the node's mtime
   * @param nonce random per claim attempt, so a claim whose outcome was unknown can be recognised
   * @param owner the claiming node, for operators and for {@code WorkerTakenException}
   */
  record Claim(long ttlMillis, String nonce, String owner) {

    byte[] encode() {
      return ("ttl-ms=" + ttlMillis + "\nclaim=" + nonce + "\nowner=" + owner)
          .getBytes(StandardCharsets.UTF_8);
    }

    Claim withTtl(long newTtlMillis) {
      return new Claim(newTtlMillis, nonce, owner);
    }

    /**
     * @throws CoordinatorException if {@code data} is not what {@link #encode()} writes
     */
    static Claim decode(String path, byte[] data) {
      String text = data == null ? "" : new String(data, StandardCharsets.UTF_8);
      String[] lines = text.split("\n", 3);
      if (lines.length == 3
          && lines[0].startsWith("ttl-ms=")
          && lines[1].startsWith("claim=")
          && lines[2].startsWith("owner=")) {
        try {
          long ttl = Long.parseLong(lines[0].substring("ttl-ms=".length()));
          if (ttl > 0) {
            return new Claim(
                ttl, lines[1].substring("claim=".length()), lines[2].substring("owner=".length()));
          }
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw new CoordinatorException(
          "ZooKeeper node "
              + path
              + " holds '"
              + abbreviate(text)
              + "', not a worker claim; it was changed outside idmint");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
