package dev.idmint.bench;

import dev.idmint.core.publicid.PublicIdCodec;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Public-ID encode and decode per second per thread, beside Bouncy Castle's {@code FPEFF1Engine}
 * called directly on the same 63 bits (radix 2, same key and tweak). Run with {@code -t 1} and
 * {@code -t 2}: {@code java -jar idmint-bench/target/benchmarks.jar PublicIdBenchmarks -t 2}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class PublicIdBenchmarks {
  static final String KEY = "2B7E151628AED2A6ABF7158809CF4F3C";

  /** One shared codec, as a server shares it between request threads. */
  @State(Scope.Benchmark)
  public static class Codecs {
    PublicIdCodec base62;
    PublicIdCodec base62Checked;
    PublicIdCodec crockford;
    String encoded;

    @Setup
    public void setUp() {
      base62 = codec("base62", 0);
      base62Checked = codec("base62", 2);
      crockford = codec("crockford32", 0);
      encoded = base62.encode(250_019_246_518_566_912L);
    }

    private static PublicIdCodec codec(String alphabet, int check) {
      return PublicIdCodec.builder()
          .namespace("order")
          .prefix("ord")
          .alphabet(alphabet)
          .current("1")
          .key("1", KEY)
          .checkCharacters(check)
          .build();
    }
  }

  /** Bouncy Castle's engine is stateful: one per thread. */
  @State(Scope.Thread)
  public static class Bouncy {
    final FPEFF1Engine engine = new FPEFF1Engine();
    final byte[] bits = new byte[63];

    @Setup
    public void setUp() {
      engine.init(
          true,
          new FPEParameters(
              new KeyParameter(HexFormat.of().parseHex(KEY)),
              2,
              "order".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  /** A different raw ID on every call. */
  @State(Scope.Thread)
  public static class Ids {
    long next = 250_019_246_518_566_912L;
  }

  @Benchmark
  public String encodeBase62(Codecs codecs, Ids ids) {
    return codecs.base62.encode(ids.next++);
  }

  @Benchmark
  public String encodeBase62TwoCheckCharacters(Codecs codecs, Ids ids) {
    return codecs.base62Checked.encode(ids.next++);
  }

  @Benchmark
  public String encodeCrockford32(Codecs codecs, Ids ids) {
    return codecs.crockford.encode(ids.next++);
  }

  @Benchmark
  public long decodeBase62(Codecs codecs) {
    return codecs.base62.decode(codecs.encoded);
  }

  @Benchmark
  public byte[] bouncyCastleFf1Direct(Bouncy bc, Ids ids) {
    long x = ids.next++;
    for (int j = 0; j < 63; j++) {
      bc.bits[j] = (byte) ((x >>> (62 - j)) & 1);
    }
    bc.engine.processBlock(bc.bits, 0, 63, bc.bits, 0);
    return bc.bits;
  }
}
