package dev.idmint.zookeeper;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.core.registry.NamespaceExistsException;
import dev.idmint.core.registry.NodeEntry;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.registry.RevisionConflictException;
import dev.idmint.core.registry.UnknownNamespaceException;
import dev.idmint.zookeeper.ZkClient.Outcome;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * The registry on ZooKeeper. A namespace is the node {@code registry/namespaces/<name>} holding
 * {@code issued=0|1}, a newline and the definition; its revision is the node's data version plus
 * one, so every compare-and-set is a versioned {@code setData}. A node record is {@code
 * registry/nodes/<url-encoded id>} holding {@code ttl-ms=…}, {@code drain=0|1} and the info; the
 * leader stamps its {@code mtime} at each heartbeat, and it is expired once ZooKeeper's clock has
 * passed {@code mtime + ttl}. Records are PERSISTENT, not ephemeral, so that a killed node stays
 * listed as expired instead of vanishing.
 */
final class ZooKeeperRegistry implements Registry {
  private static final int MAX_ATTEMPTS = 64;

  private final ZkClient zk;
  private final ZkLayout layout;

  ZooKeeperRegistry(ZkClient zk) {
    this.zk = zk;
    this.layout = zk.layout();
  }

  @Override
  public List<NamespaceEntry> namespaces() {
    List<NamespaceEntry> entries = new ArrayList<>();
    for (String name : children(layout.registryNamespaces(), "list the namespaces")) {
      namespace(name).ifPresent(entries::add);
    }
    entries.sort(Comparator.comparing(NamespaceEntry::name));
    return entries;
  }

  @Override
  public Optional<NamespaceEntry> namespace(String name) {
    Read read = read(namespacePath(name), "read namespace " + name);
    return read == null ? Optional.empty() : Optional.of(namespaceEntry(name, read));
  }

  @Override
  public NamespaceEntry create(String name, String definition) {
    String what = "create namespace " + name;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Outcome outcome =
          zk.multi(
              what,
              List.of(
                  Op.create(
                      namespacePath(name),
                      namespaceData(false, definition),
                      zk.acl(),
                      CreateMode.PERSISTENT)));
      if (outcome.ok()) {
        return new NamespaceEntry(name, definition, 1, false);
      }
      if (outcome.code() != Code.NODEEXISTS) {
        throw outcome.failure(what);
      }
      Optional<NamespaceEntry> existing = namespace(name);
      if (existing.isPresent()) {
        throw new NamespaceExistsException(existing.get());
      }
    }
    throw new CoordinatorException("could not " + what + ": it kept appearing and vanishing");
  }

  @Override
  public NamespaceEntry update(String name, long expectedRevision, String definition) {
    String what = "update namespace " + name;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Read read = read(namespacePath(name), what);
      if (read == null) {
        throw new UnknownNamespaceException(name);
      }
      NamespaceEntry current = namespaceEntry(name, read);
      if (current.revision() != expectedRevision) {
        throw new RevisionConflictException(expectedRevision, current);
      }
      Outcome outcome =
          zk.multi(
              what,
              List.of(
                  Op.setData(
                      namespacePath(name),
                      namespaceData(current.issued(), definition),
                      read.stat().getVersion())));
      if (outcome.ok()) {
        return new NamespaceEntry(name, definition, expectedRevision + 1, current.issued());
      }
      if (outcome.code() != Code.BADVERSION && outcome.code() != Code.NONODE) {
        throw outcome.failure(what);
      }
    }
    throw new CoordinatorException("could not " + what + " under contention; try again");
  }

  @Override
  public NamespaceEntry markIssued(String name) {
    String what = "record that namespace " + name + " issued IDs";
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Read read = read(namespacePath(name), what);
      if (read == null) {
        throw new UnknownNamespaceException(name);
      }
      NamespaceEntry current = namespaceEntry(name, read);
      if (current.issued()) {
        return current;
      }
      Outcome outcome =
          zk.multi(
              what,
              List.of(
                  Op.setData(
                      namespacePath(name),
                      namespaceData(true, current.definition()),
                      read.stat().getVersion())));
      if (outcome.ok()) {
        return new NamespaceEntry(name, current.definition(), current.revision() + 1, true);
      }
      if (outcome.code() != Code.BADVERSION) {
        throw outcome.failure(what);
      }
    }
    throw new CoordinatorException("could not " + what + " under contention; try again");
  }

  @Override
  public boolean heartbeat(String nodeId, String info, Duration ttl) {
    String what = "record the heartbeat of node " + nodeId;
    String path = nodePath(nodeId);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Read read = read(path, what);
      if (read == null) {
        Outcome created =
            zk.multi(
                what,
                List.of(
                    Op.create(
                        path,
                        nodeData(ttl.toMillis(), false, info),
                        zk.acl(),
                        CreateMode.PERSISTENT)));
        if (created.ok()) {
          return false;
        }
        if (created.code() != Code.NODEEXISTS) {
          throw created.failure(what);
        }
        continue;
      }
      boolean drain = NodeData.decode(path, read.data()).drain();
      Outcome outcome =
          zk.multi(
              what,
              List.of(
                  Op.setData(
                      path, nodeData(ttl.toMillis(), drain, info), read.stat().getVersion())));
      if (outcome.ok()) {
        return drain;
      }
      if (outcome.code() != Code.BADVERSION && outcome.code() != Code.NONODE) {
        throw outcome.failure(what);
      }
    }
    throw new CoordinatorException("could not " + what + " under contention");
  }

  @Override
  public List<NodeEntry> nodes() {
    List<String> children = children(layout.registryNodes(), "list the nodes");
    long now = zk.coordinatorNowMillis("read ZooKeeper's clock");
    List<NodeEntry> nodes = new ArrayList<>();
    for (String nodeId : children) {
      String path = nodePath(nodeId);
      Read read = read(path, "read node record " + nodeId);
      if (read == null) {
        continue;
      }
      NodeData data = NodeData.decode(path, read.data());
      long mtime = read.stat().getMtime();
      nodes.add(
          new NodeEntry(nodeId, data.info(), mtime, mtime + data.ttlMillis(), data.drain(), now));
    }
    nodes.sort(Comparator.comparing(NodeEntry::nodeId));
    return nodes;
  }

  @Override
  public boolean requestDrain(String nodeId) {
    String what = "request a drain of node " + nodeId;
    String path = nodePath(nodeId);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Read read = read(path, what);
      if (read == null) {
        return false;
      }
      NodeData data = NodeData.decode(path, read.data());
      if (data.drain()) {
        return true;
      }
      Outcome outcome =
          zk.multi(
              what,
              List.of(
                  Op.setData(
                      path,
                      nodeData(data.ttlMillis(), true, data.info()),
                      read.stat().getVersion())));
      if (outcome.ok()) {
        return true;
      }
      if (outcome.code() == Code.NONODE) {
        return false;
      }
      if (outcome.code() != Code.BADVERSION) {
        throw outcome.failure(what);
      }
    }
    throw new CoordinatorException("could not " + what + " under contention");
  }

  @Override
  public void deregister(String nodeId) {
    String what = "deregister node " + nodeId;
    Outcome outcome = zk.multi(what, List.of(Op.delete(nodePath(nodeId), -1)));
    if (!outcome.ok() && outcome.code() != Code.NONODE) {
      throw outcome.failure(what);
    }
  }

  private String namespacePath(String name) {
    return layout.registryNamespaces() + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private String nodePath(String nodeId) {
    return layout.registryNodes() + "/" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8);
  }

  private List<String> children(String path, String what) {
    Outcome outcome = zk.multi(what, List.of(Op.getChildren(path)));
    Code code = outcome.codeOf(0);
    if (code != Code.OK) {
      throw ZkClient.failure(what, code);
    }
    OpResult.GetChildrenResult result = outcome.result(0);
    List<String> names = new ArrayList<>();
    for (String child : result.getChildren()) {
      names.add(URLDecoder.decode(child, StandardCharsets.UTF_8));
    }
    return names;
  }

  /** The node's data and stat, or null when it does not exist. */
  private Read read(String path, String what) {
    Outcome outcome = zk.multi(what, List.of(Op.getData(path)));
    Code code = outcome.codeOf(0);
    if (code == Code.NONODE) {
      return null;
    }
    if (code != Code.OK) {
      throw ZkClient.failure(what, code);
    }
    OpResult.GetDataResult result = outcome.result(0);
    return new Read(result.getData(), result.getStat());
  }

  private record Read(byte[] data, Stat stat) {}

  private static NamespaceEntry namespaceEntry(String name, Read read) {
    String text = read.data() == null ? "" : new String(read.data(), StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String head = newline < 0 ? text : text.substring(0, newline);
    if (newline < 0 || !(head.equals("issued=0") || head.equals("issued=1"))) {
      throw new CoordinatorException(
          "ZooKeeper node for namespace "
              + name
              + " does not hold a definition; it was changed outside idmint");
    }
    return new NamespaceEntry(
        name, text.substring(newline + 1), read.stat().getVersion() + 1L, head.equals("issued=1"));
  }

  private static byte[] namespaceData(boolean issued, String definition) {
    return ((issued ? "issued=1" : "issued=0") + "\n" + definition)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] nodeData(long ttlMillis, boolean drain, String info) {
    return ("ttl-ms=" + ttlMillis + "\ndrain=" + (drain ? 1 : 0) + "\n" + info)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** What a node record holds. */
  private record NodeData(long ttlMillis, boolean drain, String info) {
    static NodeData decode(String path, byte[] data) {
      String text = data == null ? "" : new String(data, StandardCharsets.UTF_8);
      String[] parts = text.split("\n", 3);
      if (parts.length == 3 && parts[0].startsWith("ttl-ms=") && parts[1].startsWith("drain=")) {
        try {
          return new NodeData(
              Long.parseLong(parts[0].substring(7)), parts[1].equals("drain=1"), parts[2]);
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw new CoordinatorException(
          "ZooKeeper node " + path + " is not a node record; it was changed outside idmint");
    }
  }
}
