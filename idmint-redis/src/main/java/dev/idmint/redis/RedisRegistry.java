package dev.idmint.redis;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.core.registry.NamespaceExistsException;
import dev.idmint.core.registry.NodeEntry;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.registry.RevisionConflictException;
import dev.idmint.core.registry.UnknownNamespaceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry on Redis: a hash per namespace ({@code <prefix>registry:ns:<name>}: definition,
 * revision, issued) and per node ({@code <prefix>registry:node:<id>}: info, last, expires, drain),
 * each listed in a set. Every change is one Lua script, atomic in Redis; heartbeats and the node
 * list read Redis's {@code TIME}, the only clock that decides expiry. Like the module's other
 * stores it is as durable as Redis's persistence and replication (see README.md).
 */
final class RedisRegistry implements Registry {
  private static final String NOW =
      """
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      """;

  /** KEYS: hash, set. ARGV: name, definition. {@code {1}} or {@code {0, def, rev, issued}}. */
  static final LuaScript CREATE =
      LuaScript.of(
          "registry-create",
          """
          local v = redis.call('HMGET', KEYS[1], 'definition', 'revision', 'issued')
          if v[2] then
            return {0, v[1], tonumber(v[2]), tonumber(v[3])}
          end
          redis.call('HSET', KEYS[1], 'definition', ARGV[2], 'revision', 1, 'issued', 0)
          redis.call('SADD', KEYS[2], ARGV[1])
          return {1}
          """);

  /**
   * KEYS: hash. ARGV: expected revision, definition. {@code {1, def, rev, issued}}, {@code {0, def,
   * rev, issued}} on a conflict, {@code {-1}} when absent.
   */
  static final LuaScript UPDATE =
      LuaScript.of(
          "registry-update",
          """
          local v = redis.call('HMGET', KEYS[1], 'definition', 'revision', 'issued')
          if not v[2] then
            return {-1}
          end
          if tonumber(v[2]) ~= tonumber(ARGV[1]) then
            return {0, v[1], tonumber(v[2]), tonumber(v[3])}
          end
          local revision = redis.call('HINCRBY', KEYS[1], 'revision', 1)
          redis.call('HSET', KEYS[1], 'definition', ARGV[2])
          return {1, ARGV[2], revision, tonumber(v[3])}
          """);

  /** KEYS: hash. {@code {1, def, rev, 1}} or {@code {-1}} when absent. */
  static final LuaScript MARK_ISSUED =
      LuaScript.of(
          "registry-mark-issued",
          """
          local v = redis.call('HMGET', KEYS[1], 'definition', 'revision', 'issued')
          if not v[2] then
            return {-1}
          end
          if tonumber(v[3]) == 1 then
            return {1, v[1], tonumber(v[2]), 1}
          end
          redis.call('HSET', KEYS[1], 'issued', 1)
          local revision = redis.call('HINCRBY', KEYS[1], 'revision', 1)
          return {1, v[1], revision, 1}
          """);

  /** KEYS: set. ARGV: hash key base. {@code {name, def, rev, issued, …}}. */
  static final LuaScript LIST_NAMESPACES =
      LuaScript.of(
          "registry-list-namespaces",
          """
          local out = {}
          for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
            local v = redis.call('HMGET', ARGV[1] .. name, 'definition', 'revision', 'issued')
            if v[2] then
              table.insert(out, name)
              table.insert(out, v[1])
              table.insert(out, tonumber(v[2]))
              table.insert(out, tonumber(v[3]))
            end
          end
          return out
          """);

  /** KEYS: hash, set. ARGV: node id, info, ttl ms. {@code {drain}}. */
  static final LuaScript HEARTBEAT =
      LuaScript.of(
          "registry-heartbeat",
          NOW
              + """
              redis.call('HSET', KEYS[1], 'info', ARGV[2], 'last', now,
                  'expires', now + tonumber(ARGV[3]))
              redis.call('HSETNX', KEYS[1], 'drain', 0)
              redis.call('SADD', KEYS[2], ARGV[1])
              return {tonumber(redis.call('HGET', KEYS[1], 'drain'))}
              """);

  /** KEYS: set. ARGV: hash key base. {@code {now, id, info, last, expires, drain, …}}. */
  static final LuaScript LIST_NODES =
      LuaScript.of(
          "registry-list-nodes",
          NOW
              + """
              local out = {now}
              for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
                local v = redis.call('HMGET', ARGV[1] .. id, 'info', 'last', 'expires', 'drain')
                if v[1] then
                  table.insert(out, id)
                  table.insert(out, v[1])
                  table.insert(out, tonumber(v[2]))
                  table.insert(out, tonumber(v[3]))
                  table.insert(out, tonumber(v[4] or '0'))
                end
              end
              return out
              """);

  /** KEYS: hash. {@code {1}} or {@code {0}} when absent. */
  static final LuaScript DRAIN =
      LuaScript.of(
          "registry-drain",
          """
          if redis.call('EXISTS', KEYS[1]) == 0 then
            return {0}
          end
          redis.call('HSET', KEYS[1], 'drain', 1)
          return {1}
          """);

  /** KEYS: hash, set. ARGV: node id. */
  static final LuaScript DEREGISTER =
      LuaScript.of(
          "registry-deregister",
          """
          redis.call('DEL', KEYS[1])
          redis.call('SREM', KEYS[2], ARGV[1])
          return {1}
          """);

  private final RedisSession session;
  private final String namespaceBase;
  private final String namespaceSet;
  private final String nodeBase;
  private final String nodeSet;

  RedisRegistry(RedisSession session, String keyPrefix) {
    this.session = Objects.requireNonNull(session, "session");
    this.namespaceBase = keyPrefix + "registry:ns:";
    this.namespaceSet = keyPrefix + "registry:namespaces";
    this.nodeBase = keyPrefix + "registry:node:";
    this.nodeSet = keyPrefix + "registry:nodes";
  }

  @Override
  public List<NamespaceEntry> namespaces() {
    List<Object> reply =
        session.run(
            "listing the namespaces", LIST_NAMESPACES, new String[] {namespaceSet}, namespaceBase);
    List<NamespaceEntry> entries = new ArrayList<>();
    for (int i = 0; i + 4 <= reply.size(); i += 4) {
      entries.add(entry(reply, i, LIST_NAMESPACES.name()));
    }
    entries.sort(Comparator.comparing(NamespaceEntry::name));
    return entries;
  }

  @Override
  public Optional<NamespaceEntry> namespace(String name) {
    List<io.lettuce.core.KeyValue<String, String>> values =
        session.call(
            "reading namespace " + name,
            r -> r.hmget(namespaceBase + name, "definition", "revision", "issued"));
    if (values.size() < 3 || !values.get(1).hasValue()) {
      return Optional.empty();
    }
    return Optional.of(
        new NamespaceEntry(
            name,
            values.get(0).getValue(),
            Long.parseLong(values.get(1).getValue()),
            "1".equals(values.get(2).getValue())));
  }

  @Override
  public NamespaceEntry create(String name, String definition) {
    Objects.requireNonNull(definition, "definition");
    String action = "creating namespace " + name;
    List<Object> reply =
        session.run(
            action, CREATE, new String[] {namespaceBase + name, namespaceSet}, name, definition);
    long status = session.number(reply, 0, CREATE.name());
    if (status == 0) {
      throw new NamespaceExistsException(existing(name, reply, CREATE.name()));
    }
    session.awaitReplicas(action);
    return new NamespaceEntry(name, definition, 1, false);
  }

  @Override
  public NamespaceEntry update(String name, long expectedRevision, String definition) {
    Objects.requireNonNull(definition, "definition");
    String action = "updating namespace " + name;
    List<Object> reply =
        session.run(
            action,
            UPDATE,
            new String[] {namespaceBase + name},
            Long.toString(expectedRevision),
            definition);
    long status = session.number(reply, 0, UPDATE.name());
    if (status < 0) {
      throw new UnknownNamespaceException(name);
    }
    NamespaceEntry entry = existing(name, reply, UPDATE.name());
    if (status == 0) {
      throw new RevisionConflictException(expectedRevision, entry);
    }
    session.awaitReplicas(action);
    return entry;
  }

  @Override
  public NamespaceEntry markIssued(String name) {
    String action = "recording that namespace " + name + " issued IDs";
    List<Object> reply = session.run(action, MARK_ISSUED, new String[] {namespaceBase + name});
    if (session.number(reply, 0, MARK_ISSUED.name()) < 0) {
      throw new UnknownNamespaceException(name);
    }
    session.awaitReplicas(action);
    return existing(name, reply, MARK_ISSUED.name());
  }

  @Override
  public boolean heartbeat(String nodeId, String info, Duration ttl) {
    String action = "recording the heartbeat of node " + nodeId;
    List<Object> reply =
        session.run(
            action,
            HEARTBEAT,
            new String[] {nodeBase + nodeId, nodeSet},
            nodeId,
            info,
            Long.toString(ttl.toMillis()));
    return session.number(reply, 0, HEARTBEAT.name()) == 1;
  }

  @Override
  public List<NodeEntry> nodes() {
    List<Object> reply =
        session.run("listing the nodes", LIST_NODES, new String[] {nodeSet}, nodeBase);
    long now = session.number(reply, 0, LIST_NODES.name());
    List<NodeEntry> nodes = new ArrayList<>();
    for (int i = 1; i + 5 <= reply.size(); i += 5) {
      nodes.add(node(reply, i, now));
    }
    nodes.sort(Comparator.comparing(NodeEntry::nodeId));
    return nodes;
  }

  private NodeEntry node(List<Object> reply, int i, long now) {
    String script = LIST_NODES.name();
    return new NodeEntry(
        session.string(reply, i, script),
        session.string(reply, i + 1, script),
        session.number(reply, i + 2, script),
        session.number(reply, i + 3, script),
        session.number(reply, i + 4, script) == 1,
        now);
  }

  @Override
  public boolean requestDrain(String nodeId) {
    String action = "requesting a drain of node " + nodeId;
    List<Object> reply = session.run(action, DRAIN, new String[] {nodeBase + nodeId});
    return session.number(reply, 0, DRAIN.name()) == 1;
  }

  @Override
  public void deregister(String nodeId) {
    session.run(
        "deregistering node " + nodeId,
        DEREGISTER,
        new String[] {nodeBase + nodeId, nodeSet},
        nodeId);
  }

  private NamespaceEntry existing(String name, List<Object> reply, String script) {
    if (reply.size() < 4) {
      throw new CoordinatorException(
          session.where() + " gave an unexpected answer to the " + script + " script: " + reply);
    }
    return new NamespaceEntry(
        name,
        session.string(reply, 1, script),
        session.number(reply, 2, script),
        session.number(reply, 3, script) == 1);
  }

  private NamespaceEntry entry(List<Object> reply, int i, String script) {
    return new NamespaceEntry(
        session.string(reply, i, script),
        session.string(reply, i + 1, script),
        session.number(reply, i + 2, script),
        session.number(reply, i + 3, script) == 1);
  }
}
