package dev.idmint.server.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.net.InetSocketAddress;

/**
 * Who makes a request, as every transport sees it: the {@code Authorization} header (HTTP header or
 * gRPC metadata) and the peer's IP address, which the per-client limits count against (no proxy
 * header is trusted).
 *
 * @param authorization the header's value, or null without one
 * @param address the peer's IP address, or null outside a request (no per-address limit)
 */
public record Caller(String authorization, String address) {

  /** The caller of {@code ctx}'s request. */
  public static Caller of(ServiceRequestContext ctx) {
    return new Caller(ctx.request().headers().get(HttpHeaderNames.AUTHORIZATION), address(ctx));
  }

  /** The caller of the request being served on this thread, or an anonymous one outside one. */
  public static Caller current() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    return ctx == null ? new Caller(null, null) : of(ctx);
  }

  /** The peer's IP address of {@code ctx}'s request. */
  public static String address(ServiceRequestContext ctx) {
    return address(ctx.remoteAddress());
  }

  /** The IP address of {@code remote}, as the per-client limits key it. */
  public static String address(InetSocketAddress remote) {
    return remote.getAddress() == null
        ? remote.getHostString()
        : remote.getAddress().getHostAddress();
  }
}
