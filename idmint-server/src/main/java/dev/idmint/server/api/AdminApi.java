package dev.idmint.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.core.IdMintException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.NamespaceName;
import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.core.registry.NamespaceExistsException;
import dev.idmint.core.registry.RevisionConflictException;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.NamespaceDefinition;
import dev.idmint.server.node.Definition;
import dev.idmint.server.node.Node;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the admin API does, whatever the protocol: the registry's namespace definitions and node
 * records, checked against the admin token (failures limited per client address). REST and gRPC
 * only translate. Every call reaches the coordinator: call it off the event loop.
 */
public final class AdminApi {
  private static final int MAX_ATTEMPTS = 5;

  private final Node node;
  private final AdminAuth auth;

  public AdminApi(Node node, AdminAuth auth) {
    this.node = node;
    this.auth = auth;
  }

  /** Every node in the registry, expired ones included. */
  public List<NodeView> nodes(Caller caller) {
    check(caller);
    return registryCall(() -> node.registry().nodes()).stream().map(NodeView::of).toList();
  }

  /** Every namespace definition in the registry. */
  public List<DefinitionView> namespaces(Caller caller) {
    check(caller);
    return registryCall(() -> node.registry().namespaces()).stream().map(this::view).toList();
  }

  /**
   * @throws ApiException 404 when the registry has no such namespace
   */
  public DefinitionView namespace(Caller caller, String name) {
    check(caller);
    return view(
        registryCall(() -> node.registry().namespace(name)).orElseThrow(() -> unknown(name)));
  }

  /**
   * Defines a new namespace; every node serves it within a registry poll interval.
   *
   * @throws ApiException 400 for a bad definition, 409 ALREADY_EXISTS
   */
  public DefinitionView create(Caller caller, DefinitionRequest request) {
    check(caller);
    ObjectNode submitted = request.tree();
    JsonNode nameNode = submitted.get("name");
    if (nameNode == null || !nameNode.isTextual()) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "name must be given as a string");
    }
    String name = nameNode.asText();
    checkName(name);
    String text = Definition.text(validate(name, submitted));
    try {
      return view(registryCall(() -> node.registry().create(name, text)));
    } catch (NamespaceExistsException e) {
      throw new ApiException(
          ApiError.ALREADY_EXISTS,
          "namespace "
              + name
              + " exists already (revision "
              + e.existing().revision()
              + "); change it with PUT /v1/admin/namespaces/"
              + name);
    }
  }

  /**
   * Changes a namespace. Safe changes reach every node within a poll interval; unsafe ones are
   * refused once the namespace has issued IDs.
   *
   * @throws ApiException 400 for a bad definition, 404 for an unknown namespace, 409
   *     FAILED_PRECONDITION for an unsafe change, naming the field and why
   */
  public DefinitionView update(Caller caller, String name, DefinitionRequest request) {
    check(caller);
    checkName(name);
    ObjectNode submitted = request.tree();
    JsonNode givenName = submitted.get("name");
    if (givenName != null && !givenName.isNull() && !givenName.asText().equals(name)) {
      throw new ApiException(
          ApiError.INVALID_ARGUMENT,
          "the body names namespace "
              + givenName.asText()
              + " but the path names "
              + name
              + "; a namespace cannot be renamed");
    }
    NamespaceDefinition wanted = validate(name, submitted);
    String text = Definition.text(wanted);
    for (int attempt = 1; ; attempt++) {
      NamespaceEntry current =
          registryCall(() -> node.registry().namespace(name)).orElseThrow(() -> unknown(name));
      NamespaceDefinition before;
      try {
        before = Definition.read(name, current.definition());
      } catch (InvalidConfigurationException e) {
        if (current.issued()) {
          throw new ApiException(
              ApiError.FAILED_PRECONDITION,
              "namespace "
                  + name
                  + " has issued IDs and its stored definition (revision "
                  + current.revision()
                  + ") is unreadable ("
                  + e.getMessage()
                  + "), so no change can be checked for safety; define a new namespace instead");
        }
        before = null;
      }
      List<NamespaceDefinition.Difference> unsafe =
          before == null ? List.of() : before.unsafeChangesTo(wanted);
      if (current.issued() && !unsafe.isEmpty()) {
        throw new ApiException(
            ApiError.FAILED_PRECONDITION,
            "namespace "
                + name
                + " has issued IDs, so "
                + unsafe.stream()
                    .map(
                        d ->
                            "its "
                                + d.field()
                                + " cannot change from "
                                + d.from()
                                + " to "
                                + d.to())
                    .collect(Collectors.joining(" and "))
                + ": IDs made under the new definition could repeat (or, for public IDs, no longer"
                + " decode) IDs already issued; define a new namespace instead");
      }
      if (wanted.equals(before)) {
        return view(current);
      }
      try {
        return view(registryCall(() -> node.registry().update(name, current.revision(), text)));
      } catch (RevisionConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new ApiException(
              ApiError.FAILED_PRECONDITION,
              "namespace " + name + " kept changing while this update was made; try again");
        }
      }
    }
  }

  /**
   * Asks a node to drain.
   *
   * @throws ApiException 404 when no such node is registered
   */
  public DrainView drain(Caller caller, String nodeId) {
    check(caller);
    if (!registryCall(() -> node.registry().requestDrain(nodeId))) {
      throw new ApiException(
          ApiError.NOT_FOUND, "no node " + IdApi.abbreviate(nodeId) + " is registered");
    }
    return new DrainView(nodeId, "DRAINING");
  }

  private void check(Caller caller) {
    auth.check(caller.authorization(), caller.address());
  }

  /** A registry entry in the API's shape: the definition, derived fields, revision and issued. */
  private DefinitionView view(NamespaceEntry entry) {
    try {
      NamespaceDefinition definition = Definition.read(entry.name(), entry.definition());
      NamespaceConfig config =
          NamespaceConfig.of(definition.withoutPublicId(), local(entry.name()), node.clock());
      return DefinitionView.of(definition, config.layout(), entry.revision(), entry.issued());
    } catch (InvalidConfigurationException e) {
      // Shown as stored, so that an operator can see and fix it.
      return DefinitionView.unusable(
          entry.name(), entry.revision(), entry.issued(), e.getMessage(), entry.definition());
    }
  }

  /** This node's local settings for {@code name} (none where its file does not name it). */
  private NamespaceConfig.Local local(String name) {
    NamespaceConfig local = node.config().namespaces().get(name);
    return local == null ? NamespaceConfig.Local.NONE : local.local();
  }

  /**
   * The definition submitted, checked as every node will check it: fields, layout and sizing, and
   * the public-ID spec without any key (this node may hold none for the namespace).
   */
  private NamespaceDefinition validate(String name, ObjectNode submitted) {
    NamespaceDefinition definition;
    NamespaceConfig checked;
    try {
      definition = Definition.read(name, submitted);
      checked = NamespaceConfig.of(definition.withoutPublicId(), local(name), node.clock());
    } catch (InvalidConfigurationException e) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, e.getMessage());
    }
    String clash =
        ConfigLoader.prefixOwner(
            definition, node.namespaces().stream().map(ns -> ns.config().definition()).toList());
    if (clash != null) {
      throw new ApiException(
          ApiError.INVALID_ARGUMENT,
          "publicId.prefix \""
              + definition.publicId().prefix()
              + "\" is already the prefix of namespace "
              + clash
              + "; a public ID of one would decode under the other");
    }
    String collision = Node.collision(definition, registryCall(() -> node.registry().namespaces()));
    if (collision != null) {
      throw new ApiException(ApiError.ALREADY_EXISTS, collision);
    }
    String borrow =
        checked.borrowProblem(
            definition.strategy().id() + ".maxBorrowMillis",
            NamespaceConfig.borrowRoom(
                node.config().horizonAhead(), node.config().renewInterval()));
    if (borrow != null) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, borrow);
    }
    return definition;
  }

  private static void checkName(String name) {
    if (!NamespaceName.isValid(name)) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, NamespaceName.problem(name));
    }
  }

  private static ApiException unknown(String name) {
    return new ApiException(
        ApiError.NOT_FOUND, "the registry has no namespace " + IdApi.abbreviate(name));
  }

  private static <T> T registryCall(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (NamespaceExistsException | RevisionConflictException e) {
      throw e;
    } catch (dev.idmint.core.registry.UnknownNamespaceException e) {
      throw new ApiException(ApiError.NOT_FOUND, e.getMessage());
    } catch (IdMintException e) {
      throw new ApiException(
          ApiError.UNAVAILABLE,
          "the registry cannot be reached: " + e.getMessage(),
          Duration.ofSeconds(2));
    }
  }
}
