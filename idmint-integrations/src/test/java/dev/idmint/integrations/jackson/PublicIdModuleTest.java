package dev.idmint.integrations.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.idmint.core.publicid.InvalidPublicIdException;
import dev.idmint.core.publicid.InvalidPublicIdException.Reason;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.integrations.publicid.PublicIdCodecs;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PublicId} through a real ObjectMapper: round trips, rotation and every bad input. */
class PublicIdModuleTest {
  // Test keys only: never use fixed keys outside tests.
  static final String KEY_1 = "000102030405060708090a0b0c0d0e0f";
  static final String KEY_2 = "f0e0d0c0b0a090807060504030201000f0e0d0c0b0a090807060504030201000";

  static PublicIdCodec orderCodec(String current, Map<String, String> keys, int check) {
    return PublicIdCodec.builder()
        .namespace("order")
        .prefix("ord")
        .current(current)
        .keys(keys)
        .checkCharacters(check)
        .build();
  }

  static ObjectMapper mapper(PublicIdCodec... codecs) {
    return new ObjectMapper()
        .registerModule(new PublicIdModule(PublicIdCodecs.of(List.of(codecs))));
  }

  static final PublicIdCodec USER =
      PublicIdCodec.builder()
          .namespace("user")
          .prefix("usr")
          .alphabet("crockford32")
          .current("1")
          .key("1", KEY_1)
          .build();

  public static class Order {
    @PublicId(namespace = "order")
    public long id;

    @PublicId(namespace = "user")
    public Long buyer;

    public long quantity;
  }

  public record OrderView(@PublicId(namespace = "order") long id, String item) {}

  public static class Misplaced {
    @PublicId(namespace = "order")
    public String id;
  }

  public static class UnknownNamespace {
    @PublicId(namespace = "invoice")
    public long id;
  }

  @Test
  void roundTripsRawIdsThroughPublicIds() throws Exception {
    ObjectMapper mapper = mapper(orderCodec("1", Map.of("1", KEY_1), 0), USER);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 2_000; i++) {
      Order order = new Order();
      order.id = i < 2 ? (i == 0 ? 1 : Long.MAX_VALUE) : random.nextLong(1, Long.MAX_VALUE);
      order.buyer = random.nextLong(1, Long.MAX_VALUE);
      order.quantity = i;
      String json = mapper.writeValueAsString(order);
      Map<?, ?> tree = mapper.readValue(json, Map.class);
      assertThat((String) tree.get("id")).startsWith("ord_1").hasSize(4 + 1 + 11);
      assertThat((String) tree.get("buyer")).startsWith("usr_1").hasSize(4 + 1 + 13);
      assertThat(tree.get("quantity")).isEqualTo(i).as("unannotated longs stay numbers");
      assertThat(json).doesNotContain(":" + order.id).doesNotContain("\"" + order.id);

      Order back = mapper.readValue(json, Order.class);
      assertThat(back.id).isEqualTo(order.id);
      assertThat(back.buyer).isEqualTo(order.buyer);
    }
  }

  @Test
  void recordsAndNullsWork() throws Exception {
    ObjectMapper mapper = mapper(orderCodec("1", Map.of("1", KEY_1), 0), USER);
    OrderView view = new OrderView(123_456_789L, "tea");
    String json = mapper.writeValueAsString(view);
    assertThat(json).doesNotContain("123456789").contains("\"ord_1");
    assertThat(mapper.readValue(json, OrderView.class)).isEqualTo(view);

    Order order = new Order();
    order.id = 7;
    order.buyer = null;
    String withNull = mapper.writeValueAsString(order);
    assertThat(withNull).contains("\"buyer\":null");
    assertThat(mapper.readValue(withNull, Order.class).buyer).isNull();
    assertThatThrownBy(() -> mapper.readValue("{\"id\":null}", Order.class))
        .isInstanceOf(MismatchedInputException.class)
        .hasMessageContaining("null is not a public ID of namespace 'order'");
  }

  @Test
  void oldPublicIdsStillDecodeAfterRotation() throws Exception {
    ObjectMapper before = mapper(orderCodec("1", Map.of("1", KEY_1), 0), USER);
    ObjectMapper after = mapper(orderCodec("2", Map.of("1", KEY_1, "2", KEY_2), 0), USER);
    Order order = new Order();
    order.id = 987_654_321_012L;
    String old = before.writeValueAsString(order);
    String current = after.writeValueAsString(order);
    assertThat(old).contains("\"ord_1");
    assertThat(current).contains("\"ord_2");
    assertThat(after.readValue(old, Order.class).id).isEqualTo(order.id);
    assertThat(after.readValue(current, Order.class).id).isEqualTo(order.id);

    ObjectMapper dropped = mapper(orderCodec("2", Map.of("2", KEY_2), 0), USER);
    assertThatThrownBy(() -> dropped.readValue(old, Order.class))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContaining("(version)");
  }

  @Test
  void everyMalformedPublicIdIsAnInvalidFormatNamingTheCheck() throws Exception {
    PublicIdCodec codec = orderCodec("1", Map.of("1", KEY_1), 1);
    ObjectMapper mapper = mapper(codec, USER);
    String good = codec.encode(42);
    assertThat(readId(mapper, good)).isEqualTo(42);

    String body = good.substring(5);
    char lastCheck = good.charAt(good.length() - 1);
    char otherCheck = lastCheck == 'A' ? 'B' : 'A';
    Map<String, Reason> bad =
        Map.of(
            "usr_1" + body, Reason.PREFIX,
            "ord" + body, Reason.PREFIX,
            "ord_9" + body, Reason.VERSION,
            "ord_1" + body.substring(1), Reason.LENGTH,
            "ord_1-" + body.substring(1), Reason.ALPHABET,
            "ord_1zzzzzzzzzzz" + lastCheck, Reason.RANGE,
            good.substring(0, good.length() - 1) + otherCheck, Reason.CHECK);
    bad.forEach(
        (text, reason) ->
            assertThatThrownBy(() -> readId(mapper, text))
                .as(text)
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("not a public ID of namespace 'order'")
                .hasMessageContaining("(" + reason.name().toLowerCase(java.util.Locale.ROOT) + ")")
                .satisfies(
                    e -> {
                      assertThat(((InvalidFormatException) e).getValue()).isEqualTo(text);
                      assertThat(e.getCause())
                          .isInstanceOfSatisfying(
                              InvalidPublicIdException.class,
                              cause -> assertThat(cause.reason()).isEqualTo(reason));
                    }));

    assertThatThrownBy(() -> mapper.readValue("{\"id\":42}", Order.class))
        .as("a raw number is not accepted where a public ID is expected")
        .isInstanceOf(MismatchedInputException.class)
        .hasMessageContaining("expected a public ID of namespace 'order' (a string like ord_...)");
  }

  @Test
  void aRawIdWithoutPublicFormFailsTheWrite() {
    ObjectMapper mapper = mapper(orderCodec("1", Map.of("1", KEY_1), 0), USER);
    Order unsaved = new Order();
    assertThatThrownBy(() -> mapper.writeValueAsString(unsaved))
        .hasMessageContaining("raw ID 0 of namespace 'order' has no public ID");
  }

  @Test
  void misuseFailsWithAMessageNotARawId() {
    ObjectMapper mapper = mapper(orderCodec("1", Map.of("1", KEY_1), 0), USER);
    Misplaced misplaced = new Misplaced();
    misplaced.id = "x";
    assertThatThrownBy(() -> mapper.writeValueAsString(misplaced))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("@PublicId on " + Misplaced.class.getName() + ".id needs a long");
    assertThatThrownBy(() -> mapper.writeValueAsString(new UnknownNamespace()))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("no public-ID codec for namespace 'invoice'")
        .hasMessageContaining("[order, user]")
        .hasMessageContaining("idmint.client.public-ids.invoice");

    Order order = new Order();
    order.id = 5;
    assertThatThrownBy(() -> new ObjectMapper().writeValueAsString(order))
        .as("without the module the raw ID is not written")
        .hasMessageContaining("@PublicId needs dev.idmint.integrations.jackson.PublicIdModule");
    assertThatThrownBy(() -> new ObjectMapper().readValue("{\"id\":\"ord_1x\"}", Order.class))
        .hasMessageContaining("@PublicId needs dev.idmint.integrations.jackson.PublicIdModule");
  }

  private static long readId(ObjectMapper mapper, String publicId) throws Exception {
    return mapper.readValue("{\"id\":\"" + publicId + "\"}", Order.class).id;
  }
}
