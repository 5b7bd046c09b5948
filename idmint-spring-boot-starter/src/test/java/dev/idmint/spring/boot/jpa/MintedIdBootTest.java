package dev.idmint.spring.boot.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.server.testing.InJvmNodeExtension;
import dev.idmint.spring.boot.IdMintAutoConfiguration;
import dev.idmint.spring.boot.IdMintIntegrationsAutoConfiguration;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Step one of the starter's promise: in a Boot JPA application, {@code @MintedId} entities get
 * their ids from idmint with no code but properties, because the starter puts its client into
 * {@code IdMintClients}. Boot's own Hibernate (6.6 with Boot 3.5), embedded H2, a real node.
 */
class MintedIdBootTest {
  @RegisterExtension
  static final InJvmNodeExtension node =
      InJvmNodeExtension.withYaml("namespaces:\n  order: { strategy: snowflake }\n");

  @Configuration(proxyBeanMethods = false)
  @EntityScan(basePackageClasses = Shipment.class)
  static class App {}

  @Test
  void entitiesPersistWithIdsFromIdmint() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                HibernateJpaAutoConfiguration.class,
                TransactionAutoConfiguration.class,
                IdMintAutoConfiguration.class,
                IdMintIntegrationsAutoConfiguration.class))
        .withUserConfiguration(App.class)
        .withPropertyValues(
            "spring.datasource.url=jdbc:h2:mem:client_minted_boot;DB_CLOSE_DELAY=-1",
            "spring.jpa.hibernate.ddl-auto=create-drop",
            "idmint.client.endpoints=127.0.0.1:" + node.port(),
            "idmint.client.deadline=10s",
            "idmint.client.attempt-timeout=3s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
              Set<Long> ids = new HashSet<>();
              EntityManager em = factory.createEntityManager();
              try {
                em.getTransaction().begin();
                for (int i = 0; i < 200; i++) {
                  Shipment shipment = new Shipment("box-" + i);
                  em.persist(shipment);
                  assertThat(shipment.getId()).as("assigned at persist").isNotNull().isPositive();
                  ids.add(shipment.getId());
                }
                em.getTransaction().commit();
              } finally {
                em.close();
              }
              assertThat(ids).hasSize(200);

              EntityManager reader = factory.createEntityManager();
              try {
                List<Long> stored =
                    reader.createQuery("select s.id from Shipment s", Long.class).getResultList();
                assertThat(stored).containsExactlyInAnyOrderElementsOf(ids);
              } finally {
                reader.close();
              }
            });
  }
}
