package dev.idmint.bench;

import org.openjdk.jmh.annotations.Threads;

/** Every benchmark of {@link IdGeneratorBenchmarks} on one thread. */
@Threads(1)
public class OneThread extends IdGeneratorBenchmarks {}
