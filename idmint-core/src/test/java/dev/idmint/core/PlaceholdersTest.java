package dev.idmint.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

  @Test
  void replacesEnvironmentVariableNamesAndReportsTheUnsetOnes() {
    Map<String, String> env = Map.of("HOST", "db1", "PORT", "5432", "_X1", "$1\\");
    List<String> missing = new ArrayList<>();
    String resolved =
        Placeholders.resolve(
            "jdbc:postgresql://${HOST}:${PORT}/${DB}?x=${_X1}${a.b}${1A}", env::get, missing::add);
    assertThat(resolved).isEqualTo("jdbc:postgresql://db1:5432/?x=$1\\${a.b}${1A}");
    assertThat(missing).containsExactly("DB");
  }

  @Test
  void recognisesAValueThatIsOnlyAnUnresolvedPlaceholder() {
    assertThat(Placeholders.unresolved(" ${IDMINT_ORDER_KEY_1} ")).contains("IDMINT_ORDER_KEY_1");
    assertThat(Placeholders.unresolved("00${IDMINT_ORDER_KEY_1}")).isEmpty();
    assertThat(Placeholders.unresolved("${idmint.order-key}")).isEmpty();
  }
}
