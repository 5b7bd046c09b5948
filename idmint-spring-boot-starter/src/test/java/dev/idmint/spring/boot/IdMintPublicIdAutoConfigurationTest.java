package dev.idmint.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.integrations.jackson.PublicId;
import dev.idmint.integrations.jackson.PublicIdModule;
import dev.idmint.integrations.publicid.PublicIdCodecs;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code idmint.client.public-ids.*} through Spring Boot's own ObjectMapper. */
class IdMintPublicIdAutoConfigurationTest {
  // Test keys only.
  static final String KEY_1 = "2b7e151628aed2a6abf7158809cf4f3c";
  static final String KEY_2 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JacksonAutoConfiguration.class, IdMintPublicIdAutoConfiguration.class));

  public record OrderView(@PublicId(namespace = "order") long id, String item) {}

  @Test
  void bootsObjectMapperWritesAndReadsPublicIds() {
    runner
        .withPropertyValues(
            "idmint.client.public-ids.order.prefix=ord",
            "idmint.client.public-ids.order.current=1",
            "idmint.client.public-ids.order.keys.1=" + KEY_1)
        .run(
            context -> {
              assertThat(context).hasSingleBean(PublicIdModule.class);
              ObjectMapper mapper = context.getBean(ObjectMapper.class);
              PublicIdCodecs codecs = context.getBean(PublicIdCodecs.class);
              OrderView view = new OrderView(4_242_424_242L, "tea");
              String json = mapper.writeValueAsString(view);
              assertThat(json)
                  .isEqualTo(
                      "{\"id\":\"" + codecs.encode("order", view.id()) + "\",\"item\":\"tea\"}");
              assertThat(json).startsWith("{\"id\":\"ord_1").doesNotContain("4242424242");
              assertThat(mapper.readValue(json, OrderView.class)).isEqualTo(view);

              assertThatThrownBy(
                      () -> mapper.readValue("{\"id\":\"inv_1AAAAAAAAAAA\"}", OrderView.class))
                  .isInstanceOf(InvalidFormatException.class)
                  .hasMessageContaining("not a public ID of namespace 'order' (prefix)");
            });
  }

  @Test
  void rotationKeepsOldPublicIdsReadable() {
    String[] old = new String[1];
    runner
        .withPropertyValues(
            "idmint.client.public-ids.order.prefix=ord",
            "idmint.client.public-ids.order.current=1",
            "idmint.client.public-ids.order.keys.1=" + KEY_1)
        .run(
            context ->
                old[0] =
                    context.getBean(ObjectMapper.class).writeValueAsString(new OrderView(99, "a")));
    runner
        .withPropertyValues(
            "idmint.client.public-ids.order.prefix=ord",
            "idmint.client.public-ids.order.alphabet=base62",
            "idmint.client.public-ids.order.current=2",
            "idmint.client.public-ids.order.keys.1=" + KEY_1,
            "idmint.client.public-ids.order.keys.2=" + KEY_2)
        .run(
            context -> {
              ObjectMapper mapper = context.getBean(ObjectMapper.class);
              assertThat(old[0]).contains("\"ord_1");
              assertThat(mapper.readValue(old[0], OrderView.class).id()).isEqualTo(99);
              String now = mapper.writeValueAsString(new OrderView(99, "a"));
              assertThat(now).contains("\"ord_2").isNotEqualTo(old[0]);
              assertThat(mapper.readValue(now, OrderView.class).id()).isEqualTo(99);
            });
  }

  @Test
  void aMissingOrBadKeyFailsStartupSayingWhereWithoutEchoingKeys() {
    runner
        .withPropertyValues(
            "idmint.client.public-ids.order.prefix=ord",
            "idmint.client.public-ids.order.current=2",
            "idmint.client.public-ids.order.keys.1=" + KEY_1,
            "idmint.client.public-ids.user.prefix=usr",
            "idmint.client.public-ids.user.current=1",
            "idmint.client.public-ids.user.keys.1=",
            "idmint.client.public-ids.ticket.prefix=tkt",
            "idmint.client.public-ids.ticket.current=1")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable cause = context.getStartupFailure();
              while (cause.getCause() != null
                  && !(cause instanceof InvalidConfigurationException)) {
                cause = cause.getCause();
              }
              assertThat(cause).isInstanceOf(InvalidConfigurationException.class);
              assertThat(((InvalidConfigurationException) cause).problems())
                  .containsExactlyInAnyOrder(
                      "idmint.client.public-ids.order: current version '2' has no key;"
                          + " configured versions: [1]",
                      "idmint.client.public-ids.user: key for version '1' is empty; is its"
                          + " environment variable set?",
                      "idmint.client.public-ids.ticket: keys must map at least one version to a"
                          + " hex AES key: none configured");
              assertThat(context.getStartupFailure()).hasStackTraceContaining("public-ids");
              assertThat(stackTrace(context.getStartupFailure())).doesNotContain(KEY_1);
            });
  }

  @Test
  void withoutConfigurationTheModuleStillRefusesToWriteRawIds() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(PublicIdCodecs.class).namespaces()).isEmpty();
          assertThatThrownBy(
                  () ->
                      context.getBean(ObjectMapper.class).writeValueAsString(new OrderView(5, "")))
              .hasMessageContaining("no public-ID codec for namespace 'order'")
              .hasMessageContaining("idmint.client.public-ids.order");
        });
  }

  @Test
  void withoutJacksonOnlyTheCodecs() {
    runner
        .withClassLoader(new FilteredClassLoader(ObjectMapper.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(PublicIdCodecs.class);
              assertThat(context).doesNotHaveBean(PublicIdModule.class);
            });
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
