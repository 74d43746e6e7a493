package dev.cohort.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.jta.JtaTransactionManager;

/**
 * The Spring swap of docs/xa.md: {@code @Transactional} across a MariaDB and a PostgreSQL {@code
 * DataSource} through Spring's {@code JtaTransactionManager}, with Cohort's manager as the one bean
 * that an Atomikos or Narayana application would define differently.
 */
class SpringSwapIT {
  private static XaDatabases db;
  @TempDir static Path dir;

  @BeforeAll
  static void databases() {
    db = new XaDatabases("xa_spring_it");
  }

  @AfterAll
  static void closeDatabases() {
    db.close();
  }

  /** The application's service: one transfer, one transaction, two databases. */
  public interface Transfers {
    void transfer(long cents);
  }

  /** Debits MariaDB, credits PostgreSQL; refuses (after both writes) to overdraw. */
  public static class TransferService implements Transfers {
    private final JdbcTemplate orders;
    private final JdbcTemplate billing;

    public TransferService(JdbcTemplate orders, JdbcTemplate billing) {
      this.orders = orders;
      this.billing = billing;
    }

    @Override
    @Transactional
    public void transfer(long cents) {
      orders.update("UPDATE account SET cents = cents - ? WHERE id = 'acct'", cents);
      billing.update("UPDATE account SET cents = cents + ? WHERE id = 'acct'", cents);
      Long left = orders.queryForObject("SELECT cents FROM account WHERE id = 'acct'", Long.class);
      if (left == null || left < 0) {
        throw new IllegalArgumentException("insufficient funds: " + left);
      }
    }
  }

  @Configuration
  @EnableTransactionManagement
  static class App {
    // The one bean that changes. With Atomikos it is a UserTransactionManager; with Narayana,
    // com.arjuna.ats.jta.TransactionManager.transactionManager(). With Cohort:
    @Bean(destroyMethod = "close")
    XaTransactionManager jta() {
      return XaTransactionManager.builder(JdbcTransactionStore.sqlite(dir.resolve("xa-log.db")))
          .nodeId("shop-1")
          .closeStoreOnClose(true)
          .build();
    }

    @Bean
    PlatformTransactionManager transactionManager(XaTransactionManager jta) {
      return new JtaTransactionManager(jta, jta);
    }

    @Bean(destroyMethod = "close")
    XaPool ordersDb(XaTransactionManager jta) {
      return XaPool.builder("orders", db.mariaXa(), jta).build();
    }

    @Bean(destroyMethod = "close")
    XaPool billingDb(XaTransactionManager jta) {
      return XaPool.builder("billing", db.pgXa(), jta).build();
    }

    @Bean
    Transfers transfers(XaPool ordersDb, XaPool billingDb, XaTransactionManager jta) {
      jta.recover(ordersDb, billingDb); // on start: finish what a crash left in doubt
      return new TransferService(new JdbcTemplate(ordersDb), new JdbcTemplate(billingDb));
    }
  }

  @Test
  void transactionalCommitsOnBothDatabasesAndRollsBackBothOnAnException() {
    db.reset();
    try (AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(App.class)) {
      Transfers transfers = context.getBean(Transfers.class);

      transfers.transfer(30);
      assertThat(db.mariaCents()).isEqualTo(70);
      assertThat(db.pgCents()).isEqualTo(130);

      assertThatThrownBy(() -> transfers.transfer(500)).hasMessageContaining("insufficient funds");
      assertThat(db.mariaCents()).isEqualTo(70);
      assertThat(db.pgCents()).isEqualTo(130);
    }
  }
}
