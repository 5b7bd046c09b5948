package dev.idmint.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code zookeeper://host:port[,host:port][/chroot]} URL.
 *
 * @param connectString the hosts as ZooKeeper takes them, each with its port ({@code 2181} when
 *     omitted)
 * @param chroot the chroot, {@code /idmint} when the URL names none
 */
record ZooKeeperUrl(String connectString, String chroot) {
  static final String SCHEME = "zookeeper://";
  static final String DEFAULT_CHROOT = "/idmint";
  static final int DEFAULT_PORT = 2181;
  static final String EXPECTED = "expected zookeeper://host:port[,host:port][/chroot]";

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");
  private static final Pattern CHROOT_SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  /**
   * @throws IllegalArgumentException naming what is wrong
   */
  static ZooKeeperUrl parse(String url) {
    if (url == null || !url.startsWith(SCHEME)) {
      throw new IllegalArgumentException("it does not start with " + SCHEME);
    }
    String rest = url.substring(SCHEME.length());
    if (rest.contains("?") || rest.contains("#") || rest.contains("@")) {
      throw new IllegalArgumentException(
          "credentials, query parameters and fragments are not part of it; pass user, password"
              + " and timeouts as coordinator options");
    }
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String chroot = slash < 0 ? "" : rest.substring(slash);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    List<String> servers = new ArrayList<>();
    for (String server : hosts.split(",", -1)) {
      Matcher matcher = HOST_PORT.matcher(server);
      if (!matcher.matches()) {
        throw new IllegalArgumentException("'" + server + "' is not host:port");
      }
      int port = DEFAULT_PORT;
      if (matcher.group(2) != null) {
        port = Integer.parseInt(matcher.group(2));
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("port must be in [1, 65535]: port=" + port);
        }
      }
      servers.add(matcher.group(1) + ":" + port);
    }
    if (chroot.endsWith("/")) {
      chroot = chroot.substring(0, chroot.length() - 1);
    }
    if (chroot.isEmpty()) {
      chroot = DEFAULT_CHROOT;
    }
    boolean reserved = chroot.equals("/zookeeper") || chroot.startsWith("/zookeeper/");
    for (String segment : chroot.substring(1).split("/", -1)) {
      if (reserved
          || !CHROOT_SEGMENT.matcher(segment).matches()
          || segment.equals(".")
          || segment.equals("..")) {
        throw new IllegalArgumentException(
            "chroot '"
                + chroot
                + "' is not a node path such as /idmint (letters, digits, '.', '_', '-'; not"
                + " /zookeeper)");
      }
    }
    return new ZooKeeperUrl(String.join(",", servers), chroot);
  }
}
