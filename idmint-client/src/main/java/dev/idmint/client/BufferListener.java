package dev.idmint.client;

/**
 * Test hook: what enters and what is dropped from the prefetch buffers, so a test can account for
 * every ID the client received. Called under the buffer's lock; must be quick and must not call
 * back into the client.
 */
interface BufferListener {
  BufferListener NONE = new BufferListener() {};

  /** A batch the buffer of {@code namespace} received from a node. */
  default void received(String namespace, long[] ids) {}

  /** IDs the buffer of {@code namespace} dropped without handing them out (at close). */
  default void dropped(String namespace, long[] ids) {}
}
