package dev.idmint.zookeeper;

import java.time.Duration;

/**
 * A validated ZooKeeper coordinator configuration. {@link #toString()} never shows the password.
 *
 * @param connectString {@code host:port[,host:port]}, as ZooKeeper takes it
 * @param chroot the node under which everything lives, e.g. {@code /idmint}
 * @param sessionTimeout asked of the ensemble; the ensemble may grant less
 * @param connectTimeout bound on the first connection in {@code start()}
 * @param operationTimeout bound on every call, waiting for a connection included
 * @param user digest user, or {@code null} for none
 * @param password digest password, or {@code null} for none
 */
record ZooKeeperSettings(
    String connectString,
    String chroot,
    Duration sessionTimeout,
    Duration connectTimeout,
    Duration operationTimeout,
    String user,
    String password) {

  boolean hasCredentials() {
    return user != null;
  }

  @Override
  public String toString() {
    return "ZooKeeper at "
        + connectString
        + " under "
        + chroot
        + (hasCredentials() ? " as " + user : "");
  }
}
