package dev.idmint.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.idmint.core.Clock;
import dev.idmint.core.Durations;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.NamespaceName;
import dev.idmint.core.Placeholders;
import dev.idmint.core.lease.LeaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the node's configuration: command-line flags (or their environment twins) first, then the
 * YAML file, then defaults. Every problem in the file is collected and reported at once, each with
 * its path ({@code namespaces.order.snowflake.timestamp-bits}). {@code ${VAR}} in any string is
 * replaced by the environment variable; an unset one is a problem, never an empty string.
 */
public final class ConfigLoader {
  private static final Pattern ADDRESS = Pattern.compile("[^\\s:/]+:\\d{1,5}");

  private final Map<String, String> environment;
  private final Clock clock;
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(Map<String, String> environment, Clock clock) {
    this.environment = environment;
    this.clock = clock;
  }

  /**
   * What the command line said; {@code null} means not given.
   *
   * @param bind {@code --bind}: the one address to listen on
   * @param insecureNoAuth {@code --insecure-no-auth}: serve every interface without ID tokens
   */
  public record Flags(
      Integer port,
      Path dataDir,
      String coordinator,
      Path configFile,
      Path tlsCert,
      Path tlsKey,
      Path tlsClientCa,
      String bind,
      boolean insecureNoAuth) {
    /**
     * The flags of a node on the default bind (protected mode when it has no ID token), without
     * TLS.
     */
    public Flags(Integer port, Path dataDir, String coordinator, Path configFile) {
      this(port, dataDir, coordinator, configFile, null, null, null, null, false);
    }
  }

  /**
   * @throws InvalidConfigurationException listing every problem found
   */
  public static ServerConfig load(Flags flags, Map<String, String> environment, Clock clock) {
    return new ConfigLoader(environment, clock).read(flags);
  }

  private ServerConfig read(Flags flags) {
    JsonNode root = flags.configFile() == null ? null : parse(flags.configFile());
    if (root != null && !root.isObject()) {
      problems.add("the configuration file must be a YAML mapping at the top level");
      root = null;
    }
    if (root != null) {
      unknownKeys(
          root,
          "",
          Set.of(
              "coordinator", "node", "namespaces", "auth", "limits", "server", "registry", "tls"));
    }

    int port = flags.port() == null ? ServerConfig.DEFAULT_PORT : flags.port();
    if (port < 0 || port > 65_535) {
      problems.add("port must be in [0, 65535]: port=" + port);
    }
    Path dataDir = flags.dataDir() == null ? Path.of("idmint-data") : flags.dataDir();

    JsonNode coordinator = child(root, "coordinator");
    unknownKeys(coordinator, "coordinator.", Set.of("url", "options"));
    String coordinatorUrl =
        flags.coordinator() != null && !flags.coordinator().isBlank()
            ? flags.coordinator()
            : string(coordinator, "url", "coordinator.url");
    Map<String, String> coordinatorOptions = new LinkedHashMap<>();
    JsonNode options = child(coordinator, "options");
    if (options != null) {
      options
          .properties()
          .forEach(
              e ->
                  coordinatorOptions.put(
                      e.getKey(),
                      interpolate(e.getValue().asText(), "coordinator.options." + e.getKey())));
    }

    JsonNode node = child(root, "node");
    unknownKeys(node, "node.", Set.of("worker", "lease", "address"));
    String address = string(node, "address", "node.address");
    if (address != null && !ADDRESS.matcher(address).matches()) {
      problems.add("node.address must be host:port: address=" + address);
    }
    OptionalInt staticWorker = OptionalInt.empty();
    Integer worker = integer(node, "worker", "node.worker");
    if (worker != null) {
      staticWorker = OptionalInt.of(worker);
    }
    JsonNode lease = child(node, "lease");
    unknownKeys(
        lease, "node.lease.", Set.of("ttl", "renew-interval", "horizon-ahead", "max-clock-skew"));
    Duration ttl = duration(lease, "ttl", "node.lease.ttl", LeaseConfig.DEFAULT_TTL);
    Duration renew =
        duration(
            lease,
            "renew-interval",
            "node.lease.renew-interval",
            LeaseConfig.DEFAULT_RENEW_INTERVAL);
    Duration horizon =
        duration(
            lease, "horizon-ahead", "node.lease.horizon-ahead", LeaseConfig.DEFAULT_HORIZON_AHEAD);
    Duration maxClockSkew =
        duration(
            lease,
            "max-clock-skew",
            "node.lease.max-clock-skew",
            LeaseConfig.DEFAULT_MAX_CLOCK_SKEW);
    if (maxClockSkew.isNegative()
        || maxClockSkew.isZero()
        || maxClockSkew.compareTo(LeaseConfig.MAX_CLOCK_SKEW_CEILING) > 0) {
      problems.add(
          "node.lease.max-clock-skew must be above 0 and at most "
              + LeaseConfig.MAX_CLOCK_SKEW_CEILING.toSeconds()
              + "s: max-clock-skew="
              + maxClockSkew);
    }

    Map<String, NamespaceConfig> namespaces = new LinkedHashMap<>();
    JsonNode namespacesNode = child(root, "namespaces");
    if (namespacesNode == null) {
      namespaces.put("default", namespace("default", null));
    } else if (!namespacesNode.isObject() || namespacesNode.isEmpty()) {
      problems.add("namespaces must map at least one name to its settings");
    } else {
      namespacesNode
          .properties()
          .forEach(
              e -> {
                NamespaceConfig ns = namespace(e.getKey(), e.getValue());
                if (ns != null) {
                  namespaces.put(e.getKey(), ns);
                }
              });
    }

    Duration borrowRoom = NamespaceConfig.borrowRoom(horizon, renew);
    for (NamespaceConfig ns : namespaces.values()) {
      String problem =
          ns.borrowProblem(
              "namespaces." + ns.name() + "." + ns.strategy().id() + ".max-borrow", borrowRoom);
      if (problem != null) {
        problems.add(problem);
      }
    }
    List<NamespaceConfig> all = new ArrayList<>(namespaces.values());
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        String collision =
            NamespaceDefinition.collision(all.get(i).definition(), all.get(j).definition());
        if (collision != null) {
          problems.add("namespaces: " + collision);
        }
      }
    }

    List<TokenConfig> tokens = tokens(child(child(root, "auth"), "tokens"), namespaces.keySet());
    unknownKeys(child(root, "auth"), "auth.", Set.of("tokens", "admin-token"));
    String bind = flags.bind() == null || flags.bind().isBlank() ? null : flags.bind().strip();
    exposure(bind, flags.insecureNoAuth(), !tokens.isEmpty());
    publicIdPrefixes(namespaces.values());
    String adminToken = environment.get("IDMINT_ADMIN_TOKEN");
    if (adminToken == null || adminToken.isBlank()) {
      adminToken = string(child(root, "auth"), "admin-token", "auth.admin-token");
    }
    if (adminToken != null && adminToken.isBlank()) {
      adminToken = null;
    }
    if (adminToken != null) {
      String reason = Secrets.weakness(adminToken);
      if (reason != null) {
        problems.add("auth.admin-token (or IDMINT_ADMIN_TOKEN) " + reason);
      }
    }
    String admin = adminToken;
    if (admin != null && tokens.stream().anyMatch(t -> t.token().equals(admin))) {
      problems.add("auth.admin-token must differ from every token in auth.tokens");
    }

    JsonNode registry = child(root, "registry");
    unknownKeys(registry, "registry.", Set.of("poll-interval"));
    Duration registryInterval =
        duration(
            registry,
            "poll-interval",
            "registry.poll-interval",
            ServerConfig.DEFAULT_REGISTRY_INTERVAL);
    if (registryInterval.toMillis() < 100 || registryInterval.compareTo(ttl) >= 0) {
      problems.add(
          "registry.poll-interval must be at least 100ms and below node.lease.ttl ("
              + ttl
              + "): poll-interval="
              + registryInterval);
    }

    JsonNode limits = child(root, "limits");
    unknownKeys(
        limits,
        "limits.",
        Set.of("max-count", "max-body-bytes", "client-rate-limit", "failed-auth-rate-limit"));
    Integer maxCount = integer(limits, "max-count", "limits.max-count");
    if (maxCount != null && (maxCount < 1 || maxCount > ServerConfig.MAX_COUNT_CEILING)) {
      problems.add(
          "limits.max-count must be in [1, "
              + ServerConfig.MAX_COUNT_CEILING
              + "] (one request must stay cheap; ask several times for more): max-count="
              + maxCount);
    }
    double clientRate =
        rate(
            limits,
            "client-rate-limit",
            "limits.client-rate-limit",
            ServerConfig.Connections.DEFAULT_CLIENT_IDS_PER_SECOND,
            true);
    double failedAuthRate =
        rate(
            limits,
            "failed-auth-rate-limit",
            "limits.failed-auth-rate-limit",
            ServerConfig.Connections.DEFAULT_FAILED_AUTH_PER_SECOND,
            false);
    Integer maxBody = integer(limits, "max-body-bytes", "limits.max-body-bytes");
    if (maxBody != null && maxBody < 1) {
      problems.add("limits.max-body-bytes must be >= 1: max-body-bytes=" + maxBody);
    }

    JsonNode server = child(root, "server");
    unknownKeys(
        server,
        "server.",
        Set.of(
            "worker-threads",
            "shutdown-grace",
            "max-connections",
            "request-timeout",
            "idle-timeout"));
    Integer maxConnections = integer(server, "max-connections", "server.max-connections");
    if (maxConnections != null && maxConnections < 1) {
      problems.add("server.max-connections must be >= 1: max-connections=" + maxConnections);
    }
    Duration requestTimeout =
        positive(
            server,
            "request-timeout",
            "server.request-timeout",
            ServerConfig.Connections.DEFAULT_REQUEST_TIMEOUT);
    Duration idleTimeout =
        positive(
            server,
            "idle-timeout",
            "server.idle-timeout",
            ServerConfig.Connections.DEFAULT_IDLE_TIMEOUT);
    Integer threads = integer(server, "worker-threads", "server.worker-threads");
    if (threads != null && (threads < 1 || threads > 256)) {
      problems.add("server.worker-threads must be in [1, 256]: worker-threads=" + threads);
    }
    Duration grace =
        duration(server, "shutdown-grace", "server.shutdown-grace", Duration.ofSeconds(10));

    TlsConfig tls = tls(flags, child(root, "tls"));

    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("configuration", problems);
    }
    return new ServerConfig(
        port,
        dataDir,
        coordinatorUrl,
        Map.copyOf(coordinatorOptions),
        staticWorker,
        ttl,
        renew,
        horizon,
        maxClockSkew,
        java.util.Collections.unmodifiableMap(namespaces),
        List.copyOf(tokens),
        maxCount == null ? ServerConfig.DEFAULT_MAX_COUNT : maxCount,
        maxBody == null ? ServerConfig.DEFAULT_MAX_BODY_BYTES : maxBody,
        threads == null ? Runtime.getRuntime().availableProcessors() : threads,
        grace,
        adminToken,
        address,
        registryInterval,
        tls,
        bind,
        flags.insecureNoAuth(),
        new ServerConfig.Connections(
            maxConnections == null
                ? ServerConfig.Connections.DEFAULT_MAX_CONNECTIONS
                : maxConnections,
            requestTimeout,
            idleTimeout,
            clientRate,
            failedAuthRate));
  }

  /**
   * Protected mode's rules: without ID tokens a node serves this host only, unless the operator
   * says {@code --insecure-no-auth} out loud.
   */
  private void exposure(String bind, boolean insecureNoAuth, boolean tokens) {
    if (insecureNoAuth && tokens) {
      problems.add(
          "--insecure-no-auth (IDMINT_INSECURE_NO_AUTH) turns authentication off, but auth.tokens"
              + " are configured: remove one of the two");
    }
    if (bind == null) {
      return;
    }
    java.net.InetAddress address;
    try {
      address = java.net.InetAddress.getByName(bind);
    } catch (java.net.UnknownHostException e) {
      problems.add("--bind (IDMINT_BIND) must be an IP address or a name of this host: " + bind);
      return;
    }
    if (!tokens && !insecureNoAuth && !address.isLoopbackAddress()) {
      problems.add(
          "--bind "
              + bind
              + " serves other hosts, but no ID token is configured: set auth.tokens, or pass"
              + " --insecure-no-auth to serve them without authentication");
    }
  }

  private void publicIdPrefixes(java.util.Collection<NamespaceConfig> namespaces) {
    List<NamespaceConfig> earlier = new ArrayList<>();
    for (NamespaceConfig ns : namespaces) {
      String other =
          prefixOwner(ns.definition(), earlier.stream().map(NamespaceConfig::definition).toList());
      if (other != null) {
        problems.add(
            "namespaces."
                + ns.name()
                + ".public-id.prefix \""
                + ns.publicIds().prefix()
                + "\" is already the prefix of namespace "
                + other
                + "; a public ID of one would decode under the other");
      }
      earlier.add(ns);
    }
  }

  /**
   * A public ID must decode under one namespace only, so no two may share a prefix (compared
   * ignoring case, as decoding does). Returns the name of another namespace in {@code others} whose
   * prefix {@code candidate} repeats, or null.
   */
  public static String prefixOwner(
      NamespaceDefinition candidate, java.util.Collection<NamespaceDefinition> others) {
    if (candidate.publicId() == null) {
      return null;
    }
    for (NamespaceDefinition other : others) {
      if (other.publicId() != null
          && !other.name().equals(candidate.name())
          && other.publicId().prefix().equalsIgnoreCase(candidate.publicId().prefix())) {
        return other.name();
      }
    }
    return null;
  }

  private double rate(JsonNode node, String key, String path, double fallback, boolean zeroOff) {
    JsonNode value = child(node, key);
    if (value == null) {
      return fallback;
    }
    if (!value.isNumber() || value.asDouble() < 0 || !zeroOff && value.asDouble() == 0) {
      problems.add(
          path
              + " must be a "
              + (zeroOff ? "number >= 0 (0: unlimited)" : "positive number")
              + " per second: "
              + value.asText());
      return fallback;
    }
    return value.asDouble();
  }

  private Duration positive(JsonNode node, String key, String path, Duration fallback) {
    Duration value = duration(node, key, path, fallback);
    if (value.isNegative() || value.isZero()) {
      problems.add(path + " must be a positive duration: " + value);
      return fallback;
    }
    return value;
  }

  /** A flag (or its environment twin) wins over the file's {@code tls:} block, per setting. */
  private TlsConfig tls(Flags flags, JsonNode node) {
    unknownKeys(node, "tls.", Set.of("cert", "key", "client-ca", "reload-interval"));
    Path cert = flags.tlsCert() != null ? flags.tlsCert() : path(node, "cert", "tls.cert");
    Path key = flags.tlsKey() != null ? flags.tlsKey() : path(node, "key", "tls.key");
    Path clientCa =
        flags.tlsClientCa() != null
            ? flags.tlsClientCa()
            : path(node, "client-ca", "tls.client-ca");
    Duration reload =
        duration(node, "reload-interval", "tls.reload-interval", TlsConfig.DEFAULT_RELOAD_INTERVAL);
    return TlsConfig.of(cert, key, clientCa, reload, problems);
  }

  private Path path(JsonNode node, String key, String path) {
    String text = string(node, key, path);
    return text == null || text.isBlank() ? null : Path.of(text.strip());
  }

  private NamespaceConfig namespace(String name, JsonNode node) {
    String path = "namespaces." + name;
    int before = problems.size();
    if (!NamespaceName.isValid(name)) {
      problems.add(NamespaceName.problem(name) + " in " + path);
    }
    NamespaceDefinition definition = new YamlReader(path + ".").read(name, node);
    String p = path + ".";
    JsonNode snowflake = child(node, "snowflake");
    JsonNode segment = child(node, "segment");
    JsonNode uuid7 = child(node, "uuid7");
    JsonNode publicId = child(node, "public-id");
    Duration minRemaining =
        duration(snowflake, "min-remaining", p + "snowflake.min-remaining", null);
    if (minRemaining == null) {
      minRemaining = duration(uuid7, "min-remaining", p + "uuid7.min-remaining", null);
    }
    Duration await = duration(segment, "await-timeout", p + "segment.await-timeout", null);
    Map<String, String> keys = keys(child(publicId, "keys"), p + "public-id.keys");
    if (definition == null || problems.size() != before) {
      return null;
    }
    try {
      return NamespaceConfig.of(
          definition, new NamespaceConfig.Local(minRemaining, await, keys), clock);
    } catch (InvalidConfigurationException e) {
      e.problems().forEach(problem -> problems.add(p + problem));
      return null;
    }
  }

  /** Public-ID keys by version, read as given (the codec checks them). Never echoed. */
  private Map<String, String> keys(JsonNode keys, String path) {
    Map<String, String> byVersion = new LinkedHashMap<>();
    if (keys == null) {
      return Map.of();
    }
    if (!keys.isObject()) {
      problems.add(path + " must map key versions to hex AES keys");
      return Map.of();
    }
    for (Map.Entry<String, JsonNode> key : keys.properties()) {
      byVersion.put(key.getKey(), interpolate(key.getValue().asText(), path + "." + key.getKey()));
    }
    return java.util.Collections.unmodifiableMap(byVersion);
  }

  /**
   * A namespace's YAML block: kebab-case keys, values as text ({@code ${VAR}} replaced), durations
   * like {@code 500ms}. The node-local keys ({@code min-remaining}, {@code await-timeout}, {@code
   * keys}) are known here and read beside the definition.
   */
  private final class YamlReader extends DefinitionReader {
    private final String path;

    YamlReader(String path) {
      super(ConfigLoader.this.problems);
      this.path = path;
    }

    @Override
    protected String path() {
      return path;
    }

    @Override
    protected String key(DefinitionField field) {
      return field.yamlKey();
    }

    @Override
    protected String key(DefinitionField.Section section) {
      return section.yamlKey();
    }

    @Override
    protected Strategy defaultStrategy() {
      return Strategy.SNOWFLAKE;
    }

    @Override
    protected void unknownKeys(JsonNode node, DefinitionField.Section section) {
      Set<String> known = new java.util.TreeSet<>();
      for (DefinitionField field : DefinitionField.values()) {
        if (field.section() == section) {
          known.add(field.yamlKey());
        }
      }
      if (section == null) {
        for (DefinitionField.Section s : DefinitionField.Section.values()) {
          known.add(s.yamlKey());
        }
      } else {
        known.add(
            switch (section) {
              case SNOWFLAKE, UUID7 -> "min-remaining";
              case SEGMENT -> "await-timeout";
              case PUBLIC_ID -> "keys";
              case PATTERN -> "template"; // a known key already: nothing node-local here
            });
      }
      ConfigLoader.this.unknownKeys(
          node, path + (section == null ? "" : section.yamlKey() + "."), known);
    }

    @Override
    protected JsonNode child(JsonNode node, DefinitionField.Section section) {
      return ConfigLoader.child(node, section.yamlKey());
    }

    @Override
    protected String text(JsonNode node, DefinitionField field) {
      return string(node, field.yamlKey(), fieldPath(field));
    }

    @Override
    protected Long whole(JsonNode node, DefinitionField field) {
      return longValue(node, field.yamlKey(), fieldPath(field));
    }

    @Override
    protected Double number(JsonNode node, DefinitionField field) {
      JsonNode value = ConfigLoader.child(node, field.yamlKey());
      if (value == null) {
        return null;
      }
      if (!value.isNumber()) {
        problems.add(fieldPath(field) + " must be a number: " + value.asText());
        return null;
      }
      return value.asDouble();
    }

    @Override
    protected Boolean bool(JsonNode node, DefinitionField field) {
      JsonNode value = ConfigLoader.child(node, field.yamlKey());
      if (value == null) {
        return null;
      }
      if (!value.isBoolean()) {
        problems.add(fieldPath(field) + " must be true or false: " + value.asText());
        return null;
      }
      return value.asBoolean();
    }

    @Override
    protected Duration duration(JsonNode node, DefinitionField field) {
      return ConfigLoader.this.duration(node, field.yamlKey(), fieldPath(field), null);
    }
  }

  private List<TokenConfig> tokens(JsonNode node, Set<String> namespaces) {
    List<TokenConfig> tokens = new ArrayList<>();
    if (node == null) {
      return tokens;
    }
    if (!node.isArray()) {
      problems.add("auth.tokens must be a list");
      return tokens;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "auth.tokens[" + i + "]";
      JsonNode entry = node.get(i);
      unknownKeys(entry, path + ".", Set.of("token", "scopes", "namespaces", "rate-limit"));
      int before = problems.size();
      String token = string(entry, "token", path + ".token");
      if (problems.size() > before) {
        continue; // the unset ${VAR} is already reported
      }
      if (token == null || token.isBlank()) {
        problems.add(path + ".token must be set (use ${VAR} to read it from the environment)");
        continue;
      }
      String weakness = Secrets.weakness(token);
      if (weakness != null) {
        problems.add(path + ".token " + weakness);
      }
      if (!seen.add(token)) {
        problems.add(path + ".token repeats an earlier token");
      }
      Set<Scope> scopes = scopes(child(entry, "scopes"), path + ".scopes");
      Set<String> allowed = new LinkedHashSet<>();
      JsonNode list = child(entry, "namespaces");
      if (list == null) {
        problems.add(
            path
                + ".namespaces must list the namespaces this token may use, or [\"*\"] for all"
                + " (an absent list no longer means all)");
      } else if (!list.isArray() || list.isEmpty()) {
        problems.add(
            path + ".namespaces must be a non-empty list; write [\"*\"] to allow every namespace");
      } else {
        for (JsonNode ns : list) {
          String name = ns.asText();
          if (name.equals("*")) {
            if (list.size() > 1) {
              problems.add(path + ".namespaces: \"*\" means all and stands alone");
            }
          } else if (!namespaces.contains(name)) {
            problems.add(path + ".namespaces names an unknown namespace: " + name);
          }
          allowed.add(name);
        }
      }
      JsonNode rate = child(entry, "rate-limit");
      double perSecond = 0;
      if (rate != null) {
        if (!rate.isNumber() || rate.asDouble() <= 0) {
          problems.add(path + ".rate-limit must be a positive number of IDs per second");
        } else {
          perSecond = rate.asDouble();
        }
      }
      if (problems.size() == before) {
        tokens.add(new TokenConfig(token, scopes, allowed, perSecond));
      }
    }
    return tokens;
  }

  /**
   * A token's scopes: {@code mint} only when absent (least privilege); an empty list is refused.
   */
  private Set<Scope> scopes(JsonNode list, String path) {
    if (list == null) {
      return Set.of(Scope.MINT);
    }
    Set<Scope> scopes = java.util.EnumSet.noneOf(Scope.class);
    if (!list.isArray() || list.isEmpty()) {
      problems.add(path + " must be a non-empty list of mint, decode, metrics");
      return Set.of(Scope.MINT);
    }
    for (JsonNode item : list) {
      Scope scope = Scope.byId(item.asText());
      if (scope == null) {
        problems.add(
            path + " names an unknown scope: " + item.asText() + " (known: mint, decode, metrics)");
      } else {
        scopes.add(scope);
      }
    }
    return scopes.isEmpty() ? Set.of(Scope.MINT) : scopes;
  }

  private JsonNode parse(Path file) {
    try {
      String text = Files.readString(file);
      JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (NoSuchFileException e) {
      problems.add("configuration file not found: " + file);
    } catch (JsonProcessingException e) {
      problems.add(
          "configuration file "
              + file
              + " is not valid YAML: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    } catch (IOException e) {
      problems.add("cannot read configuration file " + file + ": " + e.getMessage());
    }
    return null;
  }

  private String interpolate(String value, String path) {
    return Placeholders.resolve(
        value,
        environment::get,
        name ->
            problems.add("environment variable " + name + " is not set (used in " + path + ")"));
  }

  private static JsonNode child(JsonNode node, String key) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode child = node.get(key);
    return child == null || child.isNull() ? null : child;
  }

  private void unknownKeys(JsonNode node, String prefix, Set<String> known) {
    if (node == null) {
      return;
    }
    if (!node.isObject()) {
      problems.add(
          (prefix.isEmpty() ? "top level" : prefix.substring(0, prefix.length() - 1))
              + " must be a mapping");
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        problems.add(
            "unknown key " + prefix + key + "; known keys here: " + new java.util.TreeSet<>(known));
      }
    }
  }

  private String string(JsonNode node, String key, String path) {
    JsonNode value = child(node, key);
    if (value == null) {
      return null;
    }
    if (!value.isValueNode()) {
      problems.add(path + " must be a single value");
      return null;
    }
    return interpolate(value.asText(), path);
  }

  private Integer integer(JsonNode node, String key, String path) {
    Long value = longValue(node, key, path);
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      problems.add(path + " is out of range: " + value);
      return null;
    }
    return value.intValue();
  }

  private Long longValue(JsonNode node, String key, String path) {
    String text = string(node, key, path);
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      problems.add(path + " must be a whole number: " + text);
      return null;
    }
  }

  private Duration duration(JsonNode node, String key, String path, Duration fallback) {
    String text = string(node, key, path);
    if (text == null) {
      return fallback;
    }
    Duration parsed = parseDuration(text);
    if (parsed == null) {
      problems.add(path + " must be " + Durations.EXPECTED + ": " + text);
      return fallback;
    }
    return parsed;
  }

  /** Parses a duration in the one grammar of {@link Durations}; null if it is not one. */
  public static Duration parseDuration(String text) {
    return Durations.parse(text).orElse(null);
  }
}
