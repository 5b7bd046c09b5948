package dev.idmint.integrations.mybatisplus;

import static org.assertj.core.api.Assertions.assertThat;

import com.baomidou.mybatisplus.annotation.IdType;
import com.baomidou.mybatisplus.annotation.TableId;
import com.baomidou.mybatisplus.annotation.TableName;
import com.baomidou.mybatisplus.core.MybatisConfiguration;
import com.baomidou.mybatisplus.core.MybatisSqlSessionFactoryBuilder;
import com.baomidou.mybatisplus.core.config.GlobalConfig;
import com.baomidou.mybatisplus.core.incrementer.IdentifierGenerator;
import com.baomidou.mybatisplus.core.mapper.BaseMapper;
import com.baomidou.mybatisplus.core.toolkit.GlobalConfigUtils;
import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows inserted through a MyBatis-Plus {@link BaseMapper} get their {@code ASSIGN_ID} ids from
 * idmint: MyBatis-Plus built as an application builds it ({@link MybatisSqlSessionFactoryBuilder}
 * over a {@link MybatisConfiguration} whose {@link GlobalConfig} holds the generator), a real
 * idmint node, and an embedded H2 database for the rows.
 */
class BaseMapperInsertTest {
  static final int ROWS = 300;

  @TempDir static Path dir;
  @RegisterExtension static final TestNode node = TestNode.withAClientPerClass();

  @TableName("purchase")
  public static class Purchase {
    @TableId(type = IdType.ASSIGN_ID)
    private Long id;

    private String item;

    public Long getId() {
      return id;
    }

    public void setId(Long id) {
      this.id = id;
    }

    public String getItem() {
      return item;
    }

    public void setItem(String item) {
      this.item = item;
    }
  }

  public interface PurchaseMapper extends BaseMapper<Purchase> {}

  @Test
  void insertsTakeTheirIdsFromIdmint() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:" + dir.resolve("rows").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    try (Connection connection = h2.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE purchase (id BIGINT PRIMARY KEY, item VARCHAR(100))");
    }

    MybatisConfiguration configuration =
        new MybatisConfiguration(new Environment("it", new JdbcTransactionFactory(), h2));
    // Records what the generator hands out, to show the rows' ids came through it and not from
    // MyBatis-Plus's own default generator.
    IdMintIdentifierGenerator idmint = new IdMintIdentifierGenerator(node.sharedClient(), "order");
    Set<Long> generated = java.util.concurrent.ConcurrentHashMap.newKeySet();
    IdentifierGenerator recording =
        entity -> {
          Long id = idmint.nextId(entity);
          generated.add(id);
          return id;
        };
    GlobalConfig globalConfig = GlobalConfigUtils.defaults().setIdentifierGenerator(recording);
    GlobalConfigUtils.setGlobalConfig(configuration, globalConfig);
    configuration.addMapper(PurchaseMapper.class);
    SqlSessionFactory factory = new MybatisSqlSessionFactoryBuilder().build(configuration);

    Set<Long> assigned = new HashSet<>();
    try (SqlSession session = factory.openSession(true)) {
      PurchaseMapper mapper = session.getMapper(PurchaseMapper.class);
      for (int i = 0; i < ROWS; i++) {
        Purchase purchase = new Purchase();
        purchase.setItem("item-" + i);
        assertThat(mapper.insert(purchase)).isEqualTo(1);
        assertThat(purchase.getId()).as("id set on the entity").isNotNull().isPositive();
        assertThat(assigned.add(purchase.getId())).isTrue();
      }
      List<Purchase> stored = mapper.selectList(null);
      assertThat(stored).hasSize(ROWS);
      assertThat(stored).extracting(Purchase::getId).containsExactlyInAnyOrderElementsOf(assigned);
    }
    assertThat(generated).as("every id came from idmint").isEqualTo(assigned);

    try (Connection connection = h2.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(DISTINCT id) FROM purchase")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(ROWS);
    }
    try (IdMintClient other = node.unbufferedClient()) {
      long next = other.nextId("order");
      assertThat(assigned).as("the node never hands these ids out again").doesNotContain(next);
    }
  }
}
