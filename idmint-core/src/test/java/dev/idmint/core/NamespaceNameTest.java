package dev.idmint.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamespaceNameTest {

  @Test
  void acceptsTheNamesOfThePattern() {
    for (String good : new String[] {"a", "order", "order_v2", "my-ids", "a" + "b".repeat(62)}) {
      assertThat(NamespaceName.isValid(good)).as(good).isTrue();
      assertThat(NamespaceName.of(good).value()).isEqualTo(good);
    }
  }

  @Test
  void refusesEveryOtherNameWithTheOneMessage() {
    for (String bad : new String[] {"Order", "", "9lives", "a".repeat(64), "ord er", "_x", "é"}) {
      assertThat(NamespaceName.isValid(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> NamespaceName.of(bad))
          .isInstanceOf(InvalidNamespaceNameException.class)
          .hasMessage("namespace must match [a-z][a-z0-9_-]{0,62}: \"" + bad + "\"");
    }
    assertThat(NamespaceName.isValid(null)).isFalse();
    assertThat(NamespaceName.problem(null))
        .isEqualTo("namespace must match [a-z][a-z0-9_-]{0,62}: null");
  }

  @Test
  void cutsAnOversizedNameInTheMessage() {
    String huge = "X".repeat(10_000);
    assertThat(NamespaceName.problem(huge))
        .isEqualTo("namespace must match [a-z][a-z0-9_-]{0,62}: \"" + "X".repeat(61) + "...\"");
  }
}
