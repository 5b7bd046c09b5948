package dev.idmint.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * {@code GET /health/ready} over HTTP/1.1 on the node's one port, with a plain blocking socket: no
 * HTTP client library and no thread of its own. Runs on the client's health thread only.
 */
final class HealthProbe {
  enum Outcome {
    /** 200. */
    READY,
    /** 503: the node runs but cannot issue safely right now. */
    NOT_READY,
    /**
     * Connected, but no idmint health answer (another status, or a gRPC-only listener): readiness
     * unknown, so the node is treated as ready and judged by its calls.
     */
    NO_HEALTH_ENDPOINT,
    /** Could not connect, or no answer in time. */
    FAILED
  }

  record Result(Outcome outcome, String detail) {}

  private HealthProbe() {}

  /**
   * @param tls the client's TLS, or null for plaintext; a node whose certificate does not verify
   *     fails the probe, as it fails calls
   */
  static Result probe(ClientConfig.HostAndPort address, ClientTls tls, int timeoutMillis) {
    boolean connected = false;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
      connected = true;
      socket.setSoTimeout(timeoutMillis);
      Socket stream;
      try {
        stream = tls == null ? socket : tls.handshake(socket, address);
      } catch (SSLException e) {
        return new Result(Outcome.FAILED, "health probe: TLS: " + e.getMessage());
      }
      try {
        OutputStream out = stream.getOutputStream();
        out.write(
            ("GET /health/ready HTTP/1.1\r\nHost: "
                    + address
                    + "\r\nUser-Agent: idmint-client\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = readLine(stream.getInputStream());
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          return new Result(Outcome.NO_HEALTH_ENDPOINT, "not an HTTP answer");
        }
        return switch (parts[1]) {
          case "200" -> new Result(Outcome.READY, "ready");
          case "503" -> new Result(Outcome.NOT_READY, "health probe: 503 not ready");
          default -> new Result(Outcome.NO_HEALTH_ENDPOINT, "health probe: HTTP " + parts[1]);
        };
      } finally {
        if (stream != socket) {
          stream.close();
        }
      }
    } catch (SocketTimeoutException e) {
      return new Result(Outcome.FAILED, "health probe: no answer within " + timeoutMillis + " ms");
    } catch (ConnectException e) {
      return new Result(Outcome.FAILED, "health probe: " + e.getMessage());
    } catch (IOException e) {
      // Connected, then closed or reset: something listens there, only not our health endpoint.
      return connected
          ? new Result(Outcome.NO_HEALTH_ENDPOINT, "health probe: " + describe(e))
          : new Result(Outcome.FAILED, "health probe: " + describe(e));
    }
  }

  private static String describe(IOException e) {
    return e instanceof EOFException
        ? "connection closed"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      int c = in.read();
      if (c < 0) {
        if (line.length() == 0) {
          throw new EOFException();
        }
        break;
      }
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
