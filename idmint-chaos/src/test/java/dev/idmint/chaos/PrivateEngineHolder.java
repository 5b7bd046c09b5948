package dev.idmint.chaos;

import dev.idmint.testkit.PrivateMariaDb;
import dev.idmint.testkit.PrivatePostgres;

/**
 * A JVM that starts a private PostgreSQL and a private MariaDB, prints their ports and waits to be
 * killed: {@link PrivateEnginesTest} kills it with {@code kill -9} and checks that neither server
 * outlives it.
 */
final class PrivateEngineHolder {
  private PrivateEngineHolder() {}

  public static void main(String[] args) throws InterruptedException {
    PrivatePostgres pg = PrivatePostgres.start();
    PrivateMariaDb mariadb = PrivateMariaDb.start();
    System.out.println("ports " + pg.port() + " " + mariadb.port());
    System.out.flush();
    Thread.sleep(600_000);
  }
}
