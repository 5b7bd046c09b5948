package dev.idmint.redis;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A parsed coordinator URL: {@code redis://[[user]:password@]host[:port][/database]}, or {@code
 * rediss://…} for TLS. As with {@code redis-cli -u}, user-info without a colon is a password.
 *
 * @param tls true for {@code rediss://}
 * @param host the host name or address (IPv6 without brackets)
 * @param port the port, 6379 unless given
 * @param database the database number, 0 unless given
 * @param user the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null}
 */
record RedisUrl(boolean tls, String host, int port, int database, String user, String password) {

  static final String EXPECTED =
      "expected redis://[[user]:password@]host[:port][/database] or rediss://… for TLS";

  /** Where the server is, for messages: {@code host:port}, never with credentials. */
  String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException naming what is wrong (without the password)
   */
  static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("the URL is empty");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "it is not a valid URI (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme();
    boolean tls;
    if ("redis".equalsIgnoreCase(scheme)) {
      tls = false;
    } else if ("rediss".equalsIgnoreCase(scheme)) {
      tls = true;
    } else {
      throw new IllegalArgumentException("the scheme must be redis or rediss, was " + scheme);
    }
    if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
      throw new IllegalArgumentException("it names no host");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      String hostPort = uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1);
      throw new IllegalArgumentException(
          "cannot read host[:port] from '" + hostPort + "' (is the port a number?)");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port must be in [1, 65535], was " + port);
    }
    int database = database(uri.getPath());
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "query parameters are not read ('?"
              + uri.getRawQuery().replaceAll("(?i)(password=)[^&]*", "$1***")
              + "'); pass them as coordinator options instead");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("it has a fragment ('#…')");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = userInfo;
      } else {
        user = colon == 0 ? null : userInfo.substring(0, colon);
        password = userInfo.substring(colon + 1);
      }
      if (password != null && password.isEmpty()) {
        password = null;
      }
    }
    return new RedisUrl(tls, host, port, database, user, password);
  }

  private static int database(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return 0;
    }
    String number = path.substring(1);
    if (!number.matches("[0-9]{1,9}")) {
      throw new IllegalArgumentException(
          "the path must be a database number such as /0, was '" + path + "'");
    }
    return Integer.parseInt(number);
  }

  /** {@code url} with any user-info masked, for messages. */
  static String redact(String url) {
    if (url == null) {
      return null;
    }
    return url.replaceAll("(?<=//)[^/@?#]*@", "***@").replaceAll("(?i)(password=)[^&;#]*", "$1***");
  }

  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://") + address() + "/" + database;
  }
}
