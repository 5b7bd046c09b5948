package dev.idmint.server;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The listener's one-time library setup, done on short-lived threads while the main thread reads
 * the configuration and opens the coordinator, so that it runs on the other core of a small machine
 * instead of after them. Each stage runs once per JVM and keeps nothing: the listener builds its
 * own objects, and where it reaches a class a warm-up thread is still initialising it waits for it
 * as it would for its own.
 *
 * <p>Two stages, because Armeria reads its flags once, on first use, and the node settles one of
 * them ({@code tlsEngineType}, see {@link Main}) only after the configuration is read:
 *
 * <ul>
 *   <li>{@link #marshaller()}, first thing: the gRPC-JSON error marshaller that every {@code
 *       GrpcService.builder()} initialises (Armeria's {@code JsonUnframedGrpcErrorHandler}, which
 *       generates its JSON writers with Byte Buddy; started here rather than with the builders, it
 *       took some 270 ms off a 2 s cold start on two cores). It does not read the flags.
 *   <li>{@link #builders()}, once the flags' inputs are settled: Armeria's flags, event loops and
 *       builders.
 * </ul>
 *
 * <p>The first stage shares with the main thread only Jackson's core and the logging facade, whose
 * class initialisers do not wait on anything the warm-up initialises.
 */
final class Warmup {
  private static final System.Logger LOG = System.getLogger(Warmup.class.getName());

  /** Armeria-internal: only named here, so a rename costs start-up time, never the start. */
  private static final String ERROR_MARSHALLER =
      "com.linecorp.armeria.server.grpc.JsonUnframedGrpcErrorHandler";

  private static final AtomicBoolean MARSHALLER = new AtomicBoolean();
  private static final AtomicBoolean BUILDERS = new AtomicBoolean();

  private Warmup() {}

  /** Starts the first stage; call before the configuration is read. */
  static void marshaller() {
    once(
        MARSHALLER,
        "idmint-warm-marshaller",
        () -> {
          try {
            Class.forName(ERROR_MARSHALLER, true, Warmup.class.getClassLoader());
          } catch (ClassNotFoundException e) {
            LOG.log(Level.DEBUG, "no " + ERROR_MARSHALLER + " to warm up");
          }
        });
  }

  /** Starts the second stage; call once Armeria's flags may be read. */
  static void builders() {
    once(
        BUILDERS,
        "idmint-warm-listener",
        () -> {
          Server.builder();
          GrpcService.builder();
        });
  }

  private static void once(AtomicBoolean done, String name, Runnable work) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }
}
