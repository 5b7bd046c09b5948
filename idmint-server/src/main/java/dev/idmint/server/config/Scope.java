package dev.idmint.server.config;

import java.util.Locale;

/**
 * What an ID token may do. A token configured without {@code scopes} gets {@link #MINT} only; the
 * others must be granted by name, so a token that leaks from an order service cannot read the order
 * volume or turn public IDs back into timestamps.
 */
public enum Scope {
  /** Get new IDs ({@code POST /v1/namespaces/{ns}/ids}, {@code NextIds}). */
  MINT,
  /** Inspect IDs and decode public IDs: what a public ID hides becomes visible with it. */
  DECODE,
  /** Read {@code /metrics}: per-namespace issue counts are business volumes. */
  METRICS;

  /** The name in configuration and in error messages: {@code mint}, {@code decode}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope called {@code id}, or null if there is none. */
  public static Scope byId(String id) {
    for (Scope scope : values()) {
      if (scope.id().equals(id)) {
        return scope;
      }
    }
    return null;
  }
}
