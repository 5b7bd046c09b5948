package dev.idmint.bench;

import org.openjdk.jmh.annotations.Threads;

/**
 * Every benchmark of {@link IdGeneratorBenchmarks} on two threads sharing one generator, so the
 * generator's concurrency control is exercised. On a two-core machine the generators' own
 * background threads (segment loaders, lease renewer) then compete with the benchmark threads.
 */
@Threads(2)
public class TwoThreads extends IdGeneratorBenchmarks {}
