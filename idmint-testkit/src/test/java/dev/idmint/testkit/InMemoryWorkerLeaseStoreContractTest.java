package dev.idmint.testkit;

import dev.idmint.core.Clock;
import dev.idmint.core.lease.WorkerLeaseStore;

class InMemoryWorkerLeaseStoreContractTest extends WorkerLeaseStoreContract {
  private final InMemoryWorkerLeaseStore coordinator = new InMemoryWorkerLeaseStore(Clock.system());

  @Override
  protected WorkerLeaseStore newStore() {
    return coordinator;
  }
}
