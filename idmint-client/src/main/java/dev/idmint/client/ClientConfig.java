package dev.idmint.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The checked, immutable configuration of one client; made by {@link IdMintClientBuilder}. */
record ClientConfig(
    List<HostAndPort> endpoints,
    String token,
    ClientTls tls,
    Duration deadline,
    Duration attemptTimeout,
    int maxBatchSize,
    boolean prefetch,
    Map<String, Boolean> prefetchByNamespace,
    int prefetchMinIds,
    int prefetchMaxIds,
    Duration prefetchAhead,
    int failureThreshold,
    Duration setAside,
    Duration setAsideMax,
    boolean healthChecks,
    Duration healthCheckInterval,
    BufferListener bufferListener) {

  /** Whether the nodes are spoken to over TLS. */
  boolean tlsEnabled() {
    return tls != null;
  }

  boolean prefetch(String namespace) {
    return prefetchByNamespace.getOrDefault(namespace, prefetch);
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ClientConfig[endpoints="
        + endpoints
        + ", token="
        + (token == null ? "none" : "(set)")
        + ", tls="
        + (tls == null ? "off" : tls.options())
        + ", deadline="
        + deadline
        + ", attemptTimeout="
        + attemptTimeout
        + ", maxBatchSize="
        + maxBatchSize
        + ", prefetch="
        + prefetch
        + ", prefetchByNamespace="
        + prefetchByNamespace
        + ", prefetchBuffer=["
        + prefetchMinIds
        + ", "
        + prefetchMaxIds
        + "], prefetchAhead="
        + prefetchAhead
        + ", failureThreshold="
        + failureThreshold
        + ", setAside=["
        + setAside
        + ", "
        + setAsideMax
        + "], healthChecks="
        + healthChecks
        + ", healthCheckInterval="
        + healthCheckInterval
        + "]";
  }

  /** One endpoint, {@code host:port}; an IPv6 literal is written {@code [::1]:7070}. */
  record HostAndPort(String host, int port) {
    private static final Pattern IPV4_LOOPBACK =
        Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    /**
     * Whether the host is this machine by its name alone ({@code localhost}, 127.0.0.0/8, {@code
     * ::1}); no name is looked up.
     */
    boolean isLoopback() {
      String h = host.toLowerCase(java.util.Locale.ROOT);
      if (h.equals("localhost") || h.endsWith(".localhost") || IPV4_LOOPBACK.matcher(h).matches()) {
        return true;
      }
      if (h.indexOf(':') < 0) {
        return false;
      }
      try {
        return java.net.InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }

    /** Parses {@code host:port}; null when it is not one. */
    static HostAndPort parse(String text) {
      if (text == null) {
        return null;
      }
      String s = text.strip();
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        return null;
      }
      String host = s.substring(0, colon);
      if (host.startsWith("[")) {
        if (!host.endsWith("]") || host.length() < 3) {
          return null;
        }
        host = host.substring(1, host.length() - 1);
      } else if (host.indexOf(':') >= 0) {
        return null;
      }
      if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
        return null;
      }
      String portText = s.substring(colon + 1);
      if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int port = Integer.parseInt(portText);
      if (port < 1 || port > 65_535) {
        return null;
      }
      return new HostAndPort(host, port);
    }

    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
