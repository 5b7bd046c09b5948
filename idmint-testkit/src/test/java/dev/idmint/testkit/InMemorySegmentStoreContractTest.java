package dev.idmint.testkit;

import dev.idmint.core.segment.SegmentStore;

class InMemorySegmentStoreContractTest extends SegmentStoreContract {
  private final InMemorySegmentStore coordinator = new InMemorySegmentStore();

  @Override
  protected SegmentStore newStore() {
    return coordinator;
  }
}
