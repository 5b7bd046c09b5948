package dev.idmint.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.core.Clock;
import dev.idmint.core.IdMintException;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.server.node.Node;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code idmint} command: {@code serve} runs a node, {@code next} and {@code inspect} talk to
 * one, {@code namespaces} and {@code nodes} use its admin API. Exit code 0 on success; 1 when the
 * request or the start failed; 2 for a usage error. Every failure is one readable line on stderr.
 */
@Command(
    name = "idmint",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Distributed ID generation: never a duplicate, under any fault.")
public final class Main implements Runnable {
  /**
   * The subcommands, in the order of the usage help. Picocli reads a command's annotations when it
   * is added, so only the one named first on the line is added when there is one (a node's start
   * does not pay for the models of the others); otherwise, for help, suggestions and errors, all.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("serve", Serve::new);
    COMMANDS.put("next", Next::new);
    COMMANDS.put("inspect", Inspect::new);
    COMMANDS.put("namespaces", AdminCommands.Namespaces::new);
    COMMANDS.put("nodes", AdminCommands.Nodes::new);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // One line per log record from the JDK logger the core uses.
    System.setProperty(
        "java.util.logging.SimpleFormatter.format",
        "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s - %5$s%6$s%n");
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + oneLine(e));
          return 1;
        });
    return cli.execute(args);
  }

  /** The command line for {@code args}: every subcommand, or only the one they start with. */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
    if (named != null) {
      cli.addSubcommand(args[0], named.get());
    } else {
      COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "missing command: serve, next, inspect, namespaces or nodes (see --help)");
  }

  private static final String TLS_ENGINE_PROPERTY = "com.linecorp.armeria.tlsEngineType";

  /**
   * For a node without TLS: Armeria need not probe for OpenSSL before the port listens (the probe
   * unpacks and loads netty-tcnative's native library and, with the JDK's TLS classes, loads some
   * 500 classes: a cold start's cost for nothing). Set before Armeria reads its flags; an explicit
   * {@code -Dcom.linecorp.armeria.tlsEngineType} wins.
   */
  static void skipOpenSslProbe() {
    if (System.getProperty(TLS_ENGINE_PROPERTY) == null) {
      System.setProperty(TLS_ENGINE_PROPERTY, "jdk");
    }
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ').strip();
  }

  /** {@code idmint serve}: runs a node until SIGTERM or Ctrl-C. */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Run an idmint node: gRPC and REST on one port.")
  static final class Serve implements Callable<Integer> {
    @Option(
        names = "--port",
        defaultValue = "${env:IDMINT_PORT:-" + ServerConfig.DEFAULT_PORT + "}",
        description = "Port for gRPC and REST (env IDMINT_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--data-dir",
        defaultValue = "${env:IDMINT_DATA_DIR:-idmint-data}",
        description =
            "Where the embedded coordinator keeps its file (env IDMINT_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
        names = "--coordinator",
        defaultValue = "${env:IDMINT_COORDINATOR}",
        description =
            "Shared coordinator URL: jdbc:postgresql://…, jdbc:mariadb://…, jdbc:mysql://…,"
                + " zookeeper://host:port[,host:port]/chroot, redis://host:port (env IDMINT_COORDINATOR)."
                + " Absent: embedded H2 under the data dir, a complete single node.")
    String coordinator;

    @Option(
        names = "--config",
        defaultValue = "${env:IDMINT_CONFIG}",
        description = "YAML configuration file (env IDMINT_CONFIG).")
    Path config;

    @Option(
        names = "--tls-cert",
        defaultValue = "${env:IDMINT_TLS_CERT}",
        description =
            "Certificate chain (PEM) to serve TLS on the port, with --tls-key (env IDMINT_TLS_CERT)."
                + " Absent: plaintext.")
    Path tlsCert;

    @Option(
        names = "--tls-key",
        defaultValue = "${env:IDMINT_TLS_KEY}",
        description = "Private key (PEM) of the --tls-cert certificate (env IDMINT_TLS_KEY).")
    Path tlsKey;

    @Option(
        names = "--tls-client-ca",
        defaultValue = "${env:IDMINT_TLS_CLIENT_CA}",
        description =
            "CA certificates (PEM): clients must present a certificate they signed (mTLS)"
                + " (env IDMINT_TLS_CLIENT_CA).")
    Path tlsClientCa;

    @Option(
        names = "--bind",
        defaultValue = "${env:IDMINT_BIND}",
        description =
            "The one address to listen on (env IDMINT_BIND). Default: loopback only while no ID"
                + " token is configured, every interface otherwise.")
    String bind;

    @Option(
        names = "--insecure-no-auth",
        defaultValue = "${env:IDMINT_INSECURE_NO_AUTH:-false}",
        description =
            "Serve every interface without ID tokens: anyone who reaches the port may mint,"
                + " decode and read metrics (env IDMINT_INSECURE_NO_AUTH=true). Warns at start"
                + " and every 10 minutes.")
    boolean insecureNoAuth;

    @Option(
        names = "--single-node",
        defaultValue = "${env:IDMINT_SINGLE_NODE:-false}",
        description =
            "Allow the embedded coordinator inside a Kubernetes pod, where it is refused because"
                + " replicas on private H2 files would issue the same IDs (env IDMINT_SINGLE_NODE).")
    boolean singleNode;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      Warmup.marshaller();
      PrintWriter err = spec.commandLine().getErr();
      ServerConfig serverConfig;
      IdMintServer server;
      try {
        serverConfig =
            ConfigLoader.load(
                new ConfigLoader.Flags(
                    port,
                    dataDir,
                    coordinator,
                    config,
                    tlsCert,
                    tlsKey,
                    tlsClientCa,
                    bind,
                    insecureNoAuth),
                System.getenv(),
                Clock.system());
        java.util.Optional<String> refusal =
            EmbeddedGuard.refusal(serverConfig.embedded(), singleNode, System.getenv());
        if (refusal.isPresent()) {
          err.println("error: " + refusal.get());
          err.flush();
          return 1;
        }
        if (serverConfig.tls() == null) {
          skipOpenSslProbe();
        }
        server = new IdMintServer(serverConfig, Clock.system()).start();
      } catch (IdMintException | java.io.UncheckedIOException | IllegalStateException e) {
        err.println("error: " + oneLine(e));
        err.flush();
        return 1;
      } catch (RuntimeException e) {
        err.println("error: could not start: " + oneLine(e));
        err.flush();
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  },
                  "idmint-shutdown"));
      spec.commandLine().getOut().println(server.startupLine());
      spec.commandLine().getOut().flush();
      stopped.await();
      return 0;
    }
  }

  /** Options shared by the client commands. */
  static class ClientOptions {
    @Option(
        names = "--url",
        defaultValue = "${env:IDMINT_URL:-" + ServerConfig.DEFAULT_URL + "}",
        description = "The node to ask (env IDMINT_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--token",
        defaultValue = "${env:IDMINT_TOKEN}",
        description = "Bearer token, where the node requires one (env IDMINT_TOKEN).")
    String token;

    JsonNode call(String method, String path) throws IOException, InterruptedException {
      return NodeHttp.call(url, token, method, path, null);
    }
  }

  /** {@code idmint next NS [-n N]}: prints new IDs, one per line. */
  @Command(name = "next", mixinStandardHelpOptions = true, description = "Get new IDs from a node.")
  static final class Next implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NS", description = "Namespace.")
    String namespace;

    @Option(
        names = {"-n", "--count"},
        defaultValue = "1",
        description = "How many IDs (default ${DEFAULT-VALUE}).")
    int count;

    @CommandLine.Mixin ClientOptions client = new ClientOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      JsonNode body =
          client.call(
              "POST",
              "/v1/namespaces/"
                  + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
                  + "/ids?count="
                  + count);
      PrintWriter out = spec.commandLine().getOut();
      // One of them, by the namespace's strategy: raw IDs, UUIDs (uuid7) or numbers (pattern).
      for (String field : new String[] {"ids", "uuids", "numbers"}) {
        for (JsonNode id : body.path(field)) {
          out.println(id.asText());
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code idmint inspect NS ID}: takes an ID apart. */
  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Take an ID apart.")
  static final class Inspect implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NS", description = "Namespace.")
    String namespace;

    @Parameters(
        index = "1",
        paramLabel = "ID",
        description = "A raw (decimal) ID, a public ID, a UUID or a business number.")
    String id;

    @CommandLine.Mixin ClientOptions client = new ClientOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      JsonNode body =
          client.call(
              "GET",
              "/v1/namespaces/"
                  + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
                  + "/ids/"
                  + URLEncoder.encode(id, StandardCharsets.UTF_8));
      PrintWriter out = spec.commandLine().getOut();
      for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.println(field.getKey() + ": " + field.getValue().asText());
      }
      out.flush();
      return 0;
    }
  }

  /** Prints the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"idmint " + Node.version()};
    }
  }
}
