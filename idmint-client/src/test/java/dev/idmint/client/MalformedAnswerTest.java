package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A node that answers with a duplicate inside a batch, a non-positive ID or a public ID of the
 * wrong form: the answer is refused as malformed where it is decoded, counted against that node,
 * and the IDs come from another node; nothing from it ever enters a prefetch buffer.
 */
class MalformedAnswerTest {

  /** Runs the client against {@code liar} and a good node; returns the liar's last failure. */
  private static String refusedAnswer(
      Function<NextIdsRequest, NextIdsResponse> liarAnswer, boolean publicIds) {
    List<long[]> buffered = new ArrayList<>();
    BufferListener ledger =
        new BufferListener() {
          @Override
          public void received(String namespace, long[] ids) {
            synchronized (buffered) {
              buffered.add(ids.clone());
            }
          }
        };
    try (FakeNode liar =
            FakeNode.start(
                (request, observer, node) -> {
                  observer.onNext(liarAnswer.apply(request));
                  observer.onCompleted();
                });
        FakeNode good = FakeNode.start(publicIds ? FakeNode.GOOD_WITH_PUBLIC_IDS : FakeNode.GOOD);
        IdMintClient client =
            IdMintClient.builder()
                .endpoints(liar.endpoint(), good.endpoint())
                .healthChecks(false)
                .setAside(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .prefetchBuffer(10, 50)
                .bufferListener(ledger)
                .build()) {
      Set<Object> seen = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        Object id = publicIds ? client.nextPublicId("order") : (Object) client.nextId("order");
        assertThat(seen.add(id)).as("handed out twice: %s", id).isTrue();
        if (!publicIds) {
          assertThat((Long) id).isPositive();
        } else {
          assertThat((String) id).startsWith("pub_");
        }
      }
      assertThat(liar.requests.get()).isPositive();
      synchronized (buffered) {
        Set<Long> all = new HashSet<>();
        for (long[] batch : buffered) {
          for (long id : batch) {
            assertThat(id).isGreaterThanOrEqualTo(1_000_000);
            assertThat(all.add(id)).as("buffered twice: %s", id).isTrue();
          }
        }
      }
      EndpointHealth liarHealth = client.endpoints().get(0);
      assertThat(liarHealth.state()).isEqualTo(EndpointHealth.State.SET_ASIDE);
      return liarHealth.lastFailure();
    }
  }

  @Test
  void aDuplicateInsideABatchIsRefused() {
    // Buffer refills ask for at least prefetchBuffer's 10 IDs: there is room for a repeat.
    String failure =
        refusedAnswer(
            request -> {
              NextIdsResponse.Builder response = FakeNode.ids(request, false);
              response.setIds(response.getIdsCount() - 1, response.getIds(0));
              return response.build();
            },
            false);
    assertThat(failure).matches("protocol error: ID \\d+ appears twice in one answer");
  }

  @Test
  void aNegativeIdIsRefused() {
    String failure =
        refusedAnswer(
            request -> {
              NextIdsResponse.Builder response = FakeNode.ids(request, false);
              response.setIds(response.getIdsCount() - 1, -5);
              return response.build();
            },
            false);
    assertThat(failure).isEqualTo("protocol error: raw IDs are positive, got -5");
  }

  @Test
  void aPublicIdOfTheWrongFormIsRefused() {
    String failure =
        refusedAnswer(
            request -> {
              NextIdsResponse.Builder response = FakeNode.ids(request, true);
              response.setPublicIds(response.getPublicIdsCount() - 1, "pub_12 34");
              return response.build();
            },
            true);
    assertThat(failure).isEqualTo("protocol error: not a public ID: \"pub_12 34\"");
  }

  @Test
  void publicIdsWithAnotherPrefixInTheSameAnswerAreRefused() {
    String failure =
        refusedAnswer(
            request -> {
              NextIdsResponse.Builder response = FakeNode.ids(request, true);
              int last = response.getPublicIdsCount() - 1;
              response.setPublicIds(last, "usr_" + response.getPublicIds(last).substring(4));
              return response.build();
            },
            true);
    assertThat(failure).startsWith("protocol error: public IDs of different forms in one answer");
  }

  @Test
  void aRepeatedPublicIdIsRefused() {
    String failure =
        refusedAnswer(
            request -> {
              NextIdsResponse.Builder response = FakeNode.ids(request, true);
              response.setPublicIds(response.getPublicIdsCount() - 1, response.getPublicIds(0));
              return response.build();
            },
            true);
    assertThat(failure).matches("protocol error: public ID pub_\\d+ appears twice in one answer");
  }
}
