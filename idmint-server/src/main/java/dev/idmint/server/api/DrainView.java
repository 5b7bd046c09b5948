package dev.idmint.server.api;

/**
 * The answer to a drain request.
 *
 * @param nodeId the node asked to drain
 * @param state its state once asked: {@code DRAINING}
 */
public record DrainView(String nodeId, String state) {}
