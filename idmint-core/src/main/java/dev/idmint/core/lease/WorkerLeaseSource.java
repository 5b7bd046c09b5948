package dev.idmint.core.lease;

/**
 * Where a snowflake generator reads the worker lease from on every call. Must be cheap (a volatile
 * read): it is on the hot path. {@link LeaseManager} is the production implementation.
 */
@FunctionalInterface
public interface WorkerLeaseSource {

  /** The lease held now, or {@code null} when none is held. */
  WorkerLease current();
}
