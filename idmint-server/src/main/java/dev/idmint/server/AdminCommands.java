package dev.idmint.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The admin commands of the CLI: {@code idmint namespaces …} and {@code idmint nodes …}. */
final class AdminCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminCommands() {}

  /** Options shared by the admin commands. */
  static class AdminOptions {
    @Option(
        names = "--url",
        defaultValue = "${env:IDMINT_URL:-" + ServerConfig.DEFAULT_URL + "}",
        description = "The node to ask (env IDMINT_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--admin-token",
        defaultValue = "${env:IDMINT_ADMIN_TOKEN}",
        description = "The node's admin token (env IDMINT_ADMIN_TOKEN).")
    String token;

    JsonNode call(String method, String path, String body)
        throws IOException, InterruptedException {
      return NodeHttp.call(url, token, method, path, body);
    }
  }

  /** Where a definition comes from: {@code --json}, {@code --file}, plus {@code --set} edits. */
  static class DefinitionOptions {
    @Option(names = "--json", description = "The definition as JSON.")
    String json;

    @Option(names = "--file", description = "A file holding the definition as JSON.")
    Path file;

    @Option(
        names = "--set",
        paramLabel = "FIELD=VALUE",
        description =
            "Sets one field, e.g. segment.step=5000, snowflake.maxBorrowMillis=500,"
                + " publicId.current=2 (repeatable).")
    List<String> sets = new ArrayList<>();

    /** The base definition given, or null when neither --json nor --file was. */
    ObjectNode base() throws IOException {
      if (json != null && file != null) {
        throw new IllegalArgumentException("give --json or --file, not both");
      }
      String text = json != null ? json : file != null ? Files.readString(file) : null;
      if (text == null) {
        return null;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (IOException e) {
        throw new IllegalArgumentException("the definition is not valid JSON: " + Main.oneLine(e));
      }
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException("the definition must be a JSON object");
      }
      return object;
    }

    void apply(ObjectNode definition) {
      for (String set : sets) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--set needs FIELD=VALUE, was: " + set);
        }
        String[] path = set.substring(0, eq).split("\\.");
        String raw = set.substring(eq + 1);
        ObjectNode target = definition;
        for (int i = 0; i < path.length - 1; i++) {
          JsonNode child = target.get(path[i]);
          target = child instanceof ObjectNode object ? object : target.putObject(path[i]);
        }
        target.set(path[path.length - 1], scalar(raw));
      }
    }

    private static JsonNode scalar(String raw) {
      if (raw.matches("-?\\d+(\\.\\d+)?") || raw.equals("true") || raw.equals("false")) {
        try {
          return JSON.readTree(raw);
        } catch (IOException e) {
          // falls through to a string
        }
      }
      return JSON.getNodeFactory().textNode(raw);
    }
  }

  @Command(
      name = "namespaces",
      mixinStandardHelpOptions = true,
      description = "List, create and change namespace definitions in the registry (admin API).",
      subcommands = {
        NamespacesList.class,
        NamespacesCreate.class,
        NamespacesUpdate.class,
        NamespacesShow.class
      })
  static final class Namespaces implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "missing command: list, show, create or update (see --help)");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the definitions.")
  static final class NamespacesList implements Callable<Integer> {
    @CommandLine.Mixin AdminOptions admin = new AdminOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      JsonNode body = admin.call("GET", "/v1/admin/namespaces", null);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-20s %-10s %8s %-6s %s%n", "NAME", "STRATEGY", "REVISION", "ISSUED", "FORMAT");
      for (JsonNode ns : body.path("namespaces")) {
        JsonNode snowflake = ns.path("snowflake");
        String format =
            snowflake.isObject()
                ? snowflake.path("timestampBits").asText()
                    + "/"
                    + snowflake.path("workerBits").asText()
                    + "/"
                    + snowflake.path("sequenceBits").asText()
                    + " "
                    + snowflake.path("timeUnit").asText()
                    + " until "
                    + snowflake.path("exhaustedAt").asText()
                : ns.path("uuid7").isObject()
                    ? "uuid7 "
                        + ns.path("uuid7").path("workerBits").asText()
                        + "/"
                        + ns.path("uuid7").path("sequenceBits").asText()
                    : ns.path("pattern").isObject()
                        ? ns.path("pattern").path("template").asText()
                            + " reset "
                            + ns.path("pattern").path("reset").asText()
                            + " "
                            + ns.path("pattern").path("timeZone").asText()
                        : "step " + ns.path("segment").path("step").asText();
        if (ns.path("publicId").isObject()) {
          format +=
              ", public "
                  + ns.path("publicId").path("prefix").asText()
                  + "_ v"
                  + ns.path("publicId").path("current").asText();
        }
        out.printf(
            "%-20s %-10s %8d %-6s %s%n",
            ns.path("name").asText(),
            ns.path("strategy").asText(),
            ns.path("revision").asLong(),
            ns.path("issued").asBoolean() ? "yes" : "no",
            format);
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one definition.")
  static final class NamespacesShow implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NS", description = "Namespace.")
    String namespace;

    @CommandLine.Mixin AdminOptions admin = new AdminOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      print(spec, admin.call("GET", "/v1/admin/namespaces/" + encode(namespace), null));
      return 0;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Define a new namespace, e.g. `idmint namespaces create ticket --set strategy=segment`.")
  static final class NamespacesCreate implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NS", description = "Namespace.")
    String namespace;

    @CommandLine.Mixin DefinitionOptions definition = new DefinitionOptions();
    @CommandLine.Mixin AdminOptions admin = new AdminOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = definition.base();
      if (body == null) {
        body = JSON.createObjectNode();
      }
      if (namespace != null) {
        body.put("name", namespace);
      }
      definition.apply(body);
      print(spec, admin.call("POST", "/v1/admin/namespaces", body.toString()));
      return 0;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description =
          "Change a namespace, e.g. `idmint namespaces update invoice --set segment.step=5000`."
              + " Without --json or --file, starts from the registry's definition.")
  static final class NamespacesUpdate implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NS", description = "Namespace.")
    String namespace;

    @CommandLine.Mixin DefinitionOptions definition = new DefinitionOptions();
    @CommandLine.Mixin AdminOptions admin = new AdminOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = definition.base();
      if (body == null) {
        body = (ObjectNode) admin.call("GET", "/v1/admin/namespaces/" + encode(namespace), null);
      }
      definition.apply(body);
      print(spec, admin.call("PUT", "/v1/admin/namespaces/" + encode(namespace), body.toString()));
      return 0;
    }
  }

  @Command(
      name = "nodes",
      mixinStandardHelpOptions = true,
      description = "List the nodes of the cluster (admin API); `nodes drain ID` drains one.",
      subcommands = {NodesDrain.class})
  static final class Nodes implements Callable<Integer> {
    @CommandLine.Mixin AdminOptions admin = new AdminOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      JsonNode body = admin.call("GET", "/v1/admin/nodes", null);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "%-40s %-22s %-8s %6s %-24s %s%n",
          "NODE", "ADDRESS", "STATE", "WORKER", "LAST HEARTBEAT", "ISSUED");
      for (JsonNode node : body.path("nodes")) {
        StringBuilder issued = new StringBuilder();
        for (Map.Entry<String, JsonNode> ns : node.path("namespaces").properties()) {
          if (issued.length() > 0) {
            issued.append(", ");
          }
          issued.append(ns.getKey()).append('=').append(ns.getValue().path("issued").asLong());
        }
        out.printf(
            "%-40s %-22s %-8s %6s %-24s %s%n",
            node.path("nodeId").asText(),
            node.path("address").asText(),
            node.path("state").asText(),
            node.path("worker").isNumber() ? node.path("worker").asText() : "-",
            node.path("lastHeartbeat").asText(),
            issued);
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "drain",
      mixinStandardHelpOptions = true,
      description = "Ask a node to stop issuing and release its worker.")
  static final class NodesDrain implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODE", description = "Node id (see `idmint nodes`).")
    String nodeId;

    @CommandLine.Mixin AdminOptions admin = new AdminOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      JsonNode body = admin.call("POST", "/v1/admin/nodes/" + encode(nodeId) + "/drain", null);
      spec.commandLine()
          .getOut()
          .println(body.path("nodeId").asText() + " " + body.path("state").asText());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void print(CommandLine.Model.CommandSpec spec, JsonNode body) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    out.flush();
  }
}
