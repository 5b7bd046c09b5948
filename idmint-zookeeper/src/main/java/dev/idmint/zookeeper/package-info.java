/**
 * idmint's coordinator on Apache ZooKeeper: worker leases (EPHEMERAL claim nodes, expiry by
 * ZooKeeper's clock, horizons in PERSISTENT nodes) and segments (a PERSISTENT node per namespace
 * advanced by compare-and-set), through Apache Curator.
 *
 * <p>The API is {@link dev.idmint.zookeeper.ZooKeeperCoordinator} and the {@code zookeeper://}
 * {@link dev.idmint.zookeeper.ZooKeeperCoordinatorProvider}; everything else is package-private.
 */
package dev.idmint.zookeeper;
