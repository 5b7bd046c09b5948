package dev.idmint.server.rest;

import com.linecorp.armeria.common.HttpStatus;
import dev.idmint.server.api.ApiError;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Caller;
import dev.idmint.server.api.Json;
import dev.idmint.server.api.Unexpected;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/namespaces/{ns}/ids[?count=N]} over plaintext HTTP/1.1, answered at the head of
 * the connection's pipeline, before Armeria's per-request machinery (request context, log, timers
 * and response stream cost more than the ID itself: docs/benchmarks.md). The route's rules are
 * {@link RestService}'s ({@link RestService#admit}, {@link RestService#answer}, {@link
 * RestService#error}'s body); only the carrying differs.
 *
 * <p>Requests are read strictly. The connection goes to Armeria, for good, at the first request
 * this does not take: another method or path, HTTP/1.0, a body or {@code Transfer-Encoding}, {@code
 * Expect}, {@code Upgrade}, a {@code Connection} other than keep-alive, no or two {@code Host}s,
 * two {@code Authorization}s, percent-encoding or another query, a header it would not read exactly
 * as Armeria does (obs-fold, a bare LF, control or non-ASCII bytes, a name that is not a token), or
 * a head beyond Armeria's default limits. Every request it takes has no body, so the boundary where
 * it hands over is one it found at the end of a head: the two parsers never disagree on where a
 * request ends. Answers keep the order of the requests: while one is computed off the event loop
 * (as Armeria's route does when issuing may wait on the coordinator), nothing more is read.
 *
 * <p>It also closes idle connections, Armeria's own included, since Armeria's idle timer (off on a
 * port with this route) would not see the traffic answered here: after {@code idle-timeout} without
 * a byte either way, and never sooner than {@code request-timeout}, so no answer is cut off.
 */
public final class Http1IdRoute extends ChannelDuplexHandler {
  /** This handler's name in the pipeline. */
  public static final String NAME = "idmint-http1-ids";

  private static final byte[] PREFIX = ascii("POST /v1/namespaces/");
  private static final byte[] IDS = ascii("/ids");
  private static final byte[] COUNT = ascii("?count=");
  private static final byte[] VERSION = ascii(" HTTP/1.1\r\n");
  private static final byte[] OK = ascii("HTTP/1.1 200 OK\r\n");
  private static final byte[] JSON_TYPE =
      ascii("content-type: application/json; charset=utf-8\r\ncontent-length: ");

  private static final byte[] HEAD_END = ascii("\r\n\r\n");

  /** Armeria's defaults: a longer request line or head is left to Armeria's own answer. */
  private static final int MAX_LINE = 4096;

  private static final int MAX_HEAD = MAX_LINE + 8192;
  private static final int MAX_NAMESPACE = 63;

  /** Written but not yet sent beyond this, reading waits: a client that never reads is bounded. */
  private static final int MAX_UNSENT = 256 * 1024;

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
  private static volatile DateLine date = new DateLine(-1, new byte[0]);

  private final RestService route;
  private final Executor blocking;
  private final long requestTimeoutNanos;
  private final long quietNanos;
  private final Counter answered;

  private ByteBuf unread;

  /** Handed to Armeria: every later byte passes through. */
  private boolean aside;

  /** An answer is being computed off the event loop; no other request is read meanwhile. */
  private boolean waiting;

  /** Too much written and unsent: no request is read until it is sent. */
  private boolean held;

  private boolean unflushed;
  private long lastTraffic;
  private ScheduledFuture<?> idleCheck;

  /**
   * @param blocking where answers that may wait on the coordinator are computed
   * @param answered counts the requests this answered (Armeria's are not counted)
   */
  public Http1IdRoute(
      RestService route,
      Executor blocking,
      Duration requestTimeout,
      Duration idleTimeout,
      Counter answered) {
    this.route = route;
    this.blocking = blocking;
    this.requestTimeoutNanos = requestTimeout.toNanos();
    this.quietNanos = Math.max(idleTimeout.toNanos(), requestTimeoutNanos);
    this.answered = answered;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    lastTraffic = System.nanoTime();
    idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), quietNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    idleCheck.cancel(false);
    if (unread != null) {
      unread.release();
      unread = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handlerRemoved(ctx);
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastTraffic = System.nanoTime();
    if (aside || !(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (unread == null) {
      unread = in;
    } else {
      unread = ctx.alloc().compositeBuffer(Integer.MAX_VALUE).addComponents(true, unread, in);
    }
    serve(ctx);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    sendAnswers(ctx);
    ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastTraffic = System.nanoTime();
    ctx.write(msg, promise);
  }

  /** Answers every whole request in {@link #unread} that this takes; hands the rest to Armeria. */
  private void serve(ChannelHandlerContext ctx) {
    while (unread != null && !aside && !waiting && !held) {
      int start = unread.readerIndex();
      int readable = unread.readableBytes();
      if (!startsLike(unread, start, readable)) {
        handOver(ctx);
        return;
      }
      int end = headEnd(unread, start, Math.min(readable, MAX_HEAD));
      if (end < 0) {
        if (readable >= MAX_HEAD) {
          handOver(ctx);
        }
        return; // the rest of the head is still on its way
      }
      Request request = Request.parse(unread, start, end);
      if (request == null) {
        handOver(ctx);
        return;
      }
      unread.readerIndex(end);
      if (!unread.isReadable()) {
        unread.release();
        unread = null;
      }
      answer(ctx, request);
    }
  }

  private void answer(ChannelHandlerContext ctx, Request request) {
    long start = System.nanoTime();
    answered.increment();
    RestService.Admitted admitted;
    try {
      admitted =
          route.admit(
              request.authorization,
              Caller.address((InetSocketAddress) ctx.channel().remoteAddress()),
              request.namespace,
              request.count);
      if (!admitted.mayBlock()) {
        write(ctx, route.answer(admitted, start));
        return;
      }
    } catch (ApiException e) {
      write(ctx, e);
      return;
    } catch (RuntimeException e) {
      write(ctx, Unexpected.of(e));
      return;
    }
    later(ctx, admitted, start);
  }

  /**
   * Computes an answer that may wait on the coordinator off the event loop, reading nothing until
   * it is written; after {@code request-timeout} the request is answered 503 instead (the IDs of a
   * late answer are dropped: a gap, never a duplicate).
   */
  private void later(ChannelHandlerContext ctx, RestService.Admitted admitted, long start) {
    waiting = true;
    ctx.channel().config().setAutoRead(false);
    ScheduledFuture<?> timeout =
        ctx.executor()
            .schedule(
                () ->
                    done(
                        ctx,
                        new ApiException(
                            ApiError.UNAVAILABLE,
                            "the IDs were not ready within server.request-timeout ("
                                + Duration.ofNanos(requestTimeoutNanos).toMillis()
                                + " ms); try again"),
                        null),
                requestTimeoutNanos,
                TimeUnit.NANOSECONDS);
    CompletableFuture.supplyAsync(() -> route.answer(admitted, start), blocking)
        .whenComplete(
            (body, cause) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (timeout.cancel(false)) {
                            done(ctx, cause == null ? null : RestService.unwrap(cause), body);
                          }
                        }));
  }

  private void done(ChannelHandlerContext ctx, ApiException error, CharSequence body) {
    if (!waiting || !ctx.channel().isActive()) {
      return;
    }
    waiting = false;
    if (error != null) {
      write(ctx, error);
    } else {
      write(ctx, body);
    }
    sendAnswers(ctx);
    if (!held) {
      ctx.channel().config().setAutoRead(true);
    }
    serve(ctx);
    // Requests read while this one waited: no read completes to send their answers.
    sendAnswers(ctx);
  }

  private void write(ChannelHandlerContext ctx, CharSequence body) {
    write(ctx, OK, null, body);
  }

  private void write(ChannelHandlerContext ctx, ApiException e) {
    int code = e.error().httpStatus();
    write(
        ctx,
        ascii("HTTP/1.1 " + code + " " + HttpStatus.valueOf(code).reasonPhrase() + "\r\n"),
        e.retryAfterSeconds(),
        Json.error(e.error(), e.getMessage()));
  }

  private void write(
      ChannelHandlerContext ctx, byte[] statusLine, String retryAfter, CharSequence body) {
    int length = ByteBufUtil.utf8Bytes(body);
    byte[] dateLine = dateLine();
    ByteBuf out = ctx.alloc().ioBuffer(statusLine.length + JSON_TYPE.length + 48 + length);
    out.writeBytes(statusLine).writeBytes(JSON_TYPE);
    ByteBufUtil.writeAscii(out, Integer.toString(length));
    out.writeByte('\r').writeByte('\n');
    if (retryAfter != null) {
      ByteBufUtil.writeAscii(out, "retry-after: " + retryAfter + "\r\n");
    }
    out.writeBytes(dateLine).writeBytes(HEAD_END);
    ByteBufUtil.writeUtf8(out, body);
    lastTraffic = System.nanoTime();
    ctx.write(out, ctx.voidPromise());
    unflushed = true;
  }

  private void sendAnswers(ChannelHandlerContext ctx) {
    if (!unflushed) {
      return;
    }
    unflushed = false;
    ctx.flush();
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    if (buffer != null && buffer.totalPendingWriteBytes() > MAX_UNSENT && !held) {
      held = true;
      ctx.channel().config().setAutoRead(false);
      // Written in order: this completes once everything before it is sent.
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              sent -> {
                held = false;
                if (!waiting) {
                  ctx.channel().config().setAutoRead(true);
                }
                serve(ctx);
                sendAnswers(ctx);
              });
    }
  }

  /** Gives Armeria the unread bytes and every later one. */
  private void handOver(ChannelHandlerContext ctx) {
    aside = true;
    ByteBuf rest = unread;
    unread = null;
    sendAnswers(ctx);
    ctx.fireChannelRead(rest);
  }

  private void checkIdle(ChannelHandlerContext ctx) {
    long quiet = System.nanoTime() - lastTraffic;
    if (quiet >= quietNanos && !waiting) {
      // From the tail: on HTTP/2, Armeria's handler says GOAWAY before the connection closes.
      ctx.channel().close();
      return;
    }
    idleCheck =
        ctx.executor()
            .schedule(() -> checkIdle(ctx), Math.max(quietNanos - quiet, 1), TimeUnit.NANOSECONDS);
  }

  /** Whether the bytes so far could still begin {@code POST /v1/namespaces/}. */
  private static boolean startsLike(ByteBuf in, int start, int readable) {
    int n = Math.min(readable, PREFIX.length);
    for (int i = 0; i < n; i++) {
      if (in.getByte(start + i) != PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  /** The index just past the first empty line (CRLF CRLF) within {@code limit} bytes, or -1. */
  private static int headEnd(ByteBuf in, int start, int limit) {
    int end = start + limit;
    for (int i = in.indexOf(start, end, (byte) '\n');
        i >= 0;
        i = in.indexOf(i + 1, end, (byte) '\n')) {
      if (i - start >= 3
          && in.getByte(i - 1) == '\r'
          && in.getByte(i - 2) == '\n'
          && in.getByte(i - 3) == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The date header's line, formatted once a second. */
  private static byte[] dateLine() {
    long second = System.currentTimeMillis() / 1000;
    DateLine line = date;
    if (line.second != second) {
      String text =
          "date: "
              + IMF_FIXDATE.format(
                  ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC));
      line = new DateLine(second, ascii(text));
      date = line;
    }
    return line.bytes;
  }

  private record DateLine(long second, byte[] bytes) {}

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** One request this takes: its namespace, raw count parameter and authorization, or null. */
  private record Request(String namespace, String count, String authorization) {

    /**
     * Reads the head in {@code [start, end)}, which ends with CRLF CRLF; null if this route does
     * not take it exactly as it is.
     */
    static Request parse(ByteBuf in, int start, int end) {
      int lineEnd = in.indexOf(start, end, (byte) '\n');
      if (lineEnd - start > MAX_LINE) {
        return null;
      }
      // POST /v1/namespaces/{ns}/ids[?count=digits] HTTP/1.1
      int i = start + PREFIX.length;
      int nsStart = i;
      while (i < lineEnd && nameByte(in.getByte(i))) {
        i++;
      }
      int nsLength = i - nsStart;
      if (nsLength == 0 || nsLength > MAX_NAMESPACE || !matches(in, i, IDS)) {
        return null;
      }
      String namespace = in.toString(nsStart, nsLength, StandardCharsets.US_ASCII);
      i += IDS.length;
      String count = null;
      if (matches(in, i, COUNT)) {
        i += COUNT.length;
        int digits = i;
        while (i < lineEnd && in.getByte(i) >= '0' && in.getByte(i) <= '9' && i - digits < 10) {
          i++;
        }
        if (i == digits) {
          return null;
        }
        count = in.toString(digits, i - digits, StandardCharsets.US_ASCII);
      }
      if (i + VERSION.length != lineEnd + 1 || !matches(in, i, VERSION)) {
        return null;
      }
      return headers(in, lineEnd + 1, end, namespace, count);
    }

    private static Request headers(ByteBuf in, int from, int end, String namespace, String count) {
      String authorization = null;
      boolean authorizationSeen = false;
      int hosts = 0;
      boolean lengthSeen = false;
      int line = from;
      while (true) {
        int lf = in.indexOf(line, end, (byte) '\n');
        if (lf <= line || in.getByte(lf - 1) != '\r') {
          return null; // a bare LF
        }
        if (lf == line + 1) {
          break; // the empty line that ends the head
        }
        int colon = line;
        while (colon < lf - 1 && tokenByte(in.getByte(colon))) {
          colon++;
        }
        if (colon == line || in.getByte(colon) != ':') {
          return null; // obs-fold, a space before the colon, or not a token
        }
        int valueStart = colon + 1;
        int valueEnd = lf - 1;
        while (valueStart < valueEnd && blank(in.getByte(valueStart))) {
          valueStart++;
        }
        while (valueEnd > valueStart && blank(in.getByte(valueEnd - 1))) {
          valueEnd--;
        }
        for (int v = valueStart; v < valueEnd; v++) {
          byte b = in.getByte(v);
          if ((b < 0x20 && b != '\t') || b == 0x7f || b < 0) {
            return null;
          }
        }
        int nameLength = colon - line;
        if (named(in, line, nameLength, "host")) {
          hosts++;
        } else if (named(in, line, nameLength, "authorization")) {
          if (authorizationSeen) {
            return null;
          }
          authorizationSeen = true;
          authorization = in.toString(valueStart, valueEnd - valueStart, StandardCharsets.US_ASCII);
        } else if (named(in, line, nameLength, "content-length")) {
          if (lengthSeen || valueEnd - valueStart != 1 || in.getByte(valueStart) != '0') {
            return null;
          }
          lengthSeen = true;
        } else if (named(in, line, nameLength, "connection")) {
          if (!in.toString(valueStart, valueEnd - valueStart, StandardCharsets.US_ASCII)
              .equalsIgnoreCase("keep-alive")) {
            return null;
          }
        } else if (named(in, line, nameLength, "transfer-encoding")
            || named(in, line, nameLength, "expect")
            || named(in, line, nameLength, "upgrade")) {
          return null;
        }
        line = lf + 1;
      }
      return hosts == 1 ? new Request(namespace, count, authorization) : null;
    }

    /** A byte a namespace name may hold as it is in a path (no percent-encoding, no dot). */
    private static boolean nameByte(byte b) {
      return b >= 'a' && b <= 'z'
          || b >= 'A' && b <= 'Z'
          || b >= '0' && b <= '9'
          || b == '_'
          || b == '-';
    }

    /** RFC 9110's tchar. */
    private static boolean tokenByte(byte b) {
      return b > 0x20 && b < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
    }

    private static boolean blank(byte b) {
      return b == ' ' || b == '\t';
    }

    private static boolean matches(ByteBuf in, int at, byte[] expected) {
      if (at + expected.length > in.writerIndex()) {
        return false;
      }
      for (int k = 0; k < expected.length; k++) {
        if (in.getByte(at + k) != expected[k]) {
          return false;
        }
      }
      return true;
    }

    private static boolean named(ByteBuf in, int at, int length, String lowerName) {
      if (length != lowerName.length()) {
        return false;
      }
      for (int k = 0; k < length; k++) {
        int b = in.getByte(at + k);
        if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerName.charAt(k)) {
          return false;
        }
      }
      return true;
    }
  }
}
