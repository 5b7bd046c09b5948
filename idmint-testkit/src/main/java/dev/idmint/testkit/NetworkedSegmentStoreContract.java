package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentStore;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@link SegmentStoreContract} plus what a store reached over the network must do when the path
 * to its engine breaks: the engine is put behind a {@link TcpFaultProxy} and cut off. Every engine
 * module extends this class.
 */
public abstract class NetworkedSegmentStoreContract extends SegmentStoreContract {

  /** Where the engine listens, so the fault test can put a {@link TcpFaultProxy} in front. */
  protected abstract InetSocketAddress engineAddress();

  /** A new client reaching the engine through {@code host:port}, with production timeouts. */
  protected abstract SegmentStore newStoreVia(String host, int port);

  @Test
  void anUnreachableEngineFailsPromptlyAndTheStoreWorksAgainAfterwards() throws Exception {
    InetSocketAddress engine = engineAddress();
    String namespace = freshNamespace();
    try (TcpFaultProxy proxy = TcpFaultProxy.start(engine.getHostString(), engine.getPort())) {
      SegmentStore store = newStoreVia(proxy.host(), proxy.port());
      Segment first = store.allocate(namespace, 10);
      proxy.cut();
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.allocate(namespace, 10))
          .isInstanceOf(CoordinatorException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("fails within the store's timeouts, never hangs")
          .isLessThan(Duration.ofSeconds(10));
      proxy.restore();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Segment next = null;
      while (next == null) {
        try {
          next = store.allocate(namespace, 10);
        } catch (CoordinatorException stillDown) {
          if (System.nanoTime() > deadline) {
            throw stillDown;
          }
          Thread.sleep(50);
        }
      }
      assertThat(next.start()).isGreaterThanOrEqualTo(first.end());
    }
  }
}
