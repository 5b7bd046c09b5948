package dev.idmint.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * No endpoint could serve the call within its deadline and the prefetch buffer (if any) was empty.
 * Every endpoint is named with why it failed: {@link #attempts()} in the order they were made, and
 * the message groups them per endpoint. No ID was made up and none was reused.
 *
 * <p>This is the one failure worth retrying later: the nodes may be restarting, fenced from their
 * coordinator, or unreachable.
 */
public final class IdMintUnavailableException extends IdMintException {
  /** One try of one endpoint and why it did not give IDs. */
  public record Attempt(String endpoint, String reason) {}

  private final String namespace;
  private final Duration deadline;
  private final List<Attempt> attempts;

  IdMintUnavailableException(
      String namespace,
      Duration deadline,
      List<Attempt> attempts,
      Map<String, String> notTried,
      Throwable cause) {
    super(message(namespace, deadline, attempts, notTried), cause);
    this.namespace = namespace;
    this.deadline = deadline;
    this.attempts = List.copyOf(attempts);
  }

  public String namespace() {
    return namespace;
  }

  /** The per-call deadline that ran out. */
  public Duration deadline() {
    return deadline;
  }

  /** Every attempt made for this call, oldest first. */
  public List<Attempt> attempts() {
    return attempts;
  }

  private static String message(
      String namespace, Duration deadline, List<Attempt> attempts, Map<String, String> notTried) {
    StringBuilder out =
        new StringBuilder("no idmint endpoint served namespace ")
            .append(namespace)
            .append(" within the deadline of ")
            .append(deadline.toMillis())
            .append(" ms and no prefetched ID was left");
    Map<String, List<String>> byEndpoint = new LinkedHashMap<>();
    for (Attempt attempt : attempts) {
      byEndpoint.computeIfAbsent(attempt.endpoint(), e -> new ArrayList<>()).add(attempt.reason());
    }
    if (byEndpoint.isEmpty()) {
      out.append("; no attempt finished yet");
    }
    for (Map.Entry<String, List<String>> e : byEndpoint.entrySet()) {
      List<String> reasons = e.getValue();
      out.append("; ").append(e.getKey()).append(": ");
      out.append(reasons.size()).append(reasons.size() == 1 ? " attempt, " : " attempts, last ");
      out.append(reasons.get(reasons.size() - 1));
    }
    for (Map.Entry<String, String> e : notTried.entrySet()) {
      if (!byEndpoint.containsKey(e.getKey())) {
        out.append("; ")
            .append(e.getKey())
            .append(": not tried (")
            .append(e.getValue())
            .append(')');
      }
    }
    return out.toString();
  }
}
