package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every REST path in the tables of docs/api.md and every gRPC method it names is served by a node
 * (in this JVM, embedded H2, admin API on). A route counts as served when the node does not answer
 * it with its own "no such resource" 404 or a 405 (REST), or with {@code UNIMPLEMENTED} (gRPC):
 * path parameters are filled with real values, so a 404 for an unknown node is still a served
 * route.
 */
class ApiDocTest {
  private static final Pattern REST_ROW =
      Pattern.compile("^\\|\\s*`(GET|POST|PUT|DELETE|PATCH) (/[^`?\\s]*)[^`]*`");
  private static final Pattern SERVICE = Pattern.compile("`(idmint\\.v1\\.[A-Za-z]+Service)`");
  private static final Pattern RPC = Pattern.compile("^\\s*rpc\\s+([A-Z][A-Za-z]+)\\s*\\(");
  private static final Pattern METHOD_NAME = Pattern.compile("`([A-Z][A-Za-z]+)`");

  @TempDir static Path dir;
  static TestServer node;
  static ManagedChannel channel;

  record Route(String method, String path, int line) {}

  record Rpc(String fullName, int line) {}

  @BeforeAll
  static void start() {
    node = TestServer.start(dir, null, null, RegistryServerTest.ENV);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    node.close();
  }

  static List<String> page() {
    return Docs.lines(Docs.root().resolve("docs/api.md"));
  }

  static List<Route> restRoutes() {
    List<Route> routes = new ArrayList<>();
    List<String> lines = page();
    for (int i = 0; i < lines.size(); i++) {
      Matcher row = REST_ROW.matcher(lines.get(i));
      if (row.find()) {
        routes.add(new Route(row.group(1), row.group(2), i + 1));
      }
    }
    return routes;
  }

  /**
   * rpc lines of a proto block (the service named in its {@code service X} line) and prose lists.
   */
  static List<Rpc> rpcs() {
    List<Rpc> rpcs = new ArrayList<>();
    List<String> lines = page();
    String protoService = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher service = Pattern.compile("^\\s*service\\s+([A-Za-z]+)\\s*\\{").matcher(line);
      if (service.find()) {
        protoService = "idmint.v1." + service.group(1);
      }
      Matcher rpc = RPC.matcher(line);
      if (rpc.find() && protoService != null) {
        rpcs.add(new Rpc(protoService + "/" + rpc.group(1), i + 1));
      }
      Matcher named = SERVICE.matcher(line);
      if (named.find()) {
        // "`idmint.v1.AdminService` (`ListNodes`, `ListDefinitions`, …)": up to the closing ")".
        StringBuilder list = new StringBuilder(line.substring(named.end()));
        for (int j = i + 1; list.indexOf(")") < 0 && j < lines.size(); j++) {
          list.append(' ').append(lines.get(j));
        }
        String text = list.toString().strip();
        if (text.startsWith("(")) {
          Matcher method = METHOD_NAME.matcher(text.substring(0, text.indexOf(')')));
          while (method.find()) {
            rpcs.add(new Rpc(named.group(1) + "/" + method.group(1), i + 1));
          }
        }
      }
    }
    return rpcs;
  }

  @Test
  void theDetectorSeesAMissingRoute() {
    // Negative controls: what the checks below treat as "not served" really occurs.
    TestServer.Response missing = node.get("/v1/no-such-thing");
    assertThat(routeMissing(missing)).as(missing.body()).isTrue();
    assertThat(call("idmint.v1.IdService/NoSuchMethod")).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void everyRestPathOfThePageIsServed() {
    List<Route> routes = new ArrayList<>(restRoutes());
    assertThat(routes).as("REST rows in docs/api.md").hasSizeGreaterThan(10);
    String id = node.post("/v1/namespaces/default/ids").ids()[0] + "";
    String nodeId =
        RegistryServerTest.admin(node, "GET", "/v1/admin/nodes", null)
            .json()
            .path("nodes")
            .get(0)
            .path("nodeId")
            .asText();
    // Drain last: it stops this node from issuing.
    routes.sort(Comparator.comparing(r -> r.path().endsWith("/drain")));
    List<String> missing = new ArrayList<>();
    for (Route route : routes) {
      String path =
          route
              .path()
              .replace("{ns}", "default")
              .replace("{id}", id)
              .replace("{nodeId}", nodeId.replace(":", "%3A"));
      String body = route.method().equals("POST") || route.method().equals("PUT") ? "{}" : null;
      TestServer.Response answer = RegistryServerTest.admin(node, route.method(), path, body);
      if (routeMissing(answer)) {
        missing.add(
            "docs/api.md:"
                + route.line()
                + ": "
                + route.method()
                + " "
                + route.path()
                + " is not served (HTTP "
                + answer.status()
                + " "
                + answer.body()
                + ")");
      }
    }
    assertThat(missing).as("documented REST routes the node does not serve").isEmpty();
  }

  @Test
  void everyGrpcMethodOfThePageIsServed() {
    List<Rpc> rpcs = rpcs();
    assertThat(rpcs).as("gRPC methods named in docs/api.md").hasSizeGreaterThan(5);
    List<String> missing = new ArrayList<>();
    for (Rpc rpc : rpcs) {
      Status.Code code = call(rpc.fullName());
      if (code == Status.Code.UNIMPLEMENTED) {
        missing.add(
            "docs/api.md:" + rpc.line() + ": gRPC method " + rpc.fullName() + " is not served");
      }
    }
    assertThat(missing).as("documented gRPC methods the node does not serve").isEmpty();
  }

  static boolean routeMissing(TestServer.Response answer) {
    return answer.status() == 405
        || answer.status() == 404 && answer.body().contains("no such resource");
  }

  /** Calls {@code fullName} with an empty message and returns the status code it ends with. */
  static Status.Code call(String fullName) {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(fullName)
            .setRequestMarshaller(Bytes.INSTANCE)
            .setResponseMarshaller(Bytes.INSTANCE)
            .build();
    try {
      ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, new byte[0]);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  /** Raw bytes as the message: what is asked is only whether the method exists. */
  enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
