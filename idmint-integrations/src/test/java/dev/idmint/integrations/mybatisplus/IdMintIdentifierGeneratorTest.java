package dev.idmint.integrations.mybatisplus;

import static org.assertj.core.api.Assertions.assertThat;

import com.baomidou.mybatisplus.core.config.GlobalConfig;
import com.baomidou.mybatisplus.core.incrementer.DefaultIdentifierGenerator;
import com.baomidou.mybatisplus.core.incrementer.IdentifierGenerator;
import com.baomidou.mybatisplus.core.toolkit.GlobalConfigUtils;
import com.baomidou.mybatisplus.core.toolkit.IdWorker;
import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.TestNode;
import java.util.HashSet;
import java.util.Set;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generator registered the way MyBatis-Plus takes one: in the {@link GlobalConfig} of a MyBatis
 * {@link Configuration}, from which MyBatis-Plus's parameter handler asks {@code nextId(entity)}
 * for {@code ASSIGN_ID} entities.
 */
class IdMintIdentifierGeneratorTest {
  @RegisterExtension static final TestNode node = TestNode.withAClientPerClass();

  record Order(String item) {}

  record Ticket(String seat) {}

  @Test
  void globalConfigGivesIdsFromTheNode() {
    Configuration configuration = new Configuration();
    GlobalConfig globalConfig =
        GlobalConfigUtils.defaults()
            .setIdentifierGenerator(new IdMintIdentifierGenerator(node.sharedClient(), "order"));
    GlobalConfigUtils.setGlobalConfig(configuration, globalConfig);

    IdentifierGenerator generator =
        GlobalConfigUtils.getGlobalConfig(configuration).getIdentifierGenerator();
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Number id = generator.nextId(new Order("item-" + i));
      assertThat(id).isInstanceOf(Long.class);
      ids.add(id.longValue());
    }
    assertThat(ids).hasSize(500).allSatisfy(id -> assertThat(id).isPositive());
    try (IdMintClient other = node.unbufferedClient()) {
      assertThat(ids.add(other.nextId("order"))).isTrue();
    }
  }

  @Test
  void namespacePerEntity() {
    IdentifierGenerator generator =
        new IdMintIdentifierGenerator(
            node.sharedClient(), entity -> entity instanceof Ticket ? "ticket" : "order");
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add(generator.nextId(new Ticket("s" + i)).longValue());
      ids.add(generator.nextId(new Order("o" + i)).longValue());
    }
    assertThat(ids).hasSize(200);
  }

  @Test
  void idWorkerUsesItToo() {
    IdWorker.setIdentifierGenerator(new IdMintIdentifierGenerator(node.sharedClient(), "order"));
    try {
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        ids.add(IdWorker.getId(new Order("x")));
      }
      assertThat(ids).hasSize(100).allSatisfy(id -> assertThat(id).isPositive());
    } finally {
      IdWorker.setIdentifierGenerator(DefaultIdentifierGenerator.getInstance());
    }
  }
}
