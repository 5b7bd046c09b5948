package dev.idmint.client;

/**
 * What the client currently thinks of one endpoint; for health indicators and logs.
 *
 * @param endpoint {@code host:port} as configured
 * @param state how calls treat it now
 * @param consecutiveFailures failed calls or probes since its last success
 * @param lastFailure why it last failed, or {@code null}
 */
public record EndpointHealth(
    String endpoint, State state, int consecutiveFailures, String lastFailure) {

  /** How calls treat an endpoint. */
  public enum State {
    /** In use. */
    AVAILABLE,
    /**
     * Reachable but its last health probe said not ready ({@code /health/ready} 503), or it asked
     * to be left alone ({@code retry-after}); used only when no available endpoint serves.
     */
    NOT_READY,
    /**
     * Set aside after repeated failures (circuit open); probed in the background and used only as a
     * last resort.
     */
    SET_ASIDE,
    /** Its probe passed after being set aside; the next call tries it and decides. */
    PROBING
  }
}
