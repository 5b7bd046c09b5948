package dev.idmint.chaos;

import dev.idmint.core.Clock;
import dev.idmint.server.IdMintServer;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A server process with a deliberately broken snowflake generator, for the campaign's negative
 * controls: {@code java -cp idmint-server.jar:<this module's classes>
 * dev.idmint.chaos.NegativeControlNode CONTROL --port P --data-dir D --config C}. Otherwise serves
 * like {@code idmint serve} and prints the same lines the campaign waits for. Never shipped.
 */
final class NegativeControlNode {
  private NegativeControlNode() {}

  public static void main(String[] args) throws InterruptedException {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format",
        "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s - %5$s%6$s%n");
    if (args.length != 7
        || !args[1].equals("--port")
        || !args[3].equals("--data-dir")
        || !args[5].equals("--config")) {
      System.err.println(
          "usage: NegativeControlNode CONTROL --port P --data-dir D --config C; was "
              + String.join(" ", args));
      System.exit(2);
    }
    NegativeControl control = NegativeControl.of(args[0]);
    ServerConfig config =
        ConfigLoader.load(
            new ConfigLoader.Flags(
                Integer.parseInt(args[2]), Path.of(args[4]), null, Path.of(args[6])),
            System.getenv(),
            Clock.system());
    System.getLogger(NegativeControlNode.class.getName())
        .log(
            System.Logger.Level.WARNING,
            "!!! NEGATIVE CONTROL "
                + control.id
                + ": this node's safety checks are broken on purpose and it CAN ISSUE DUPLICATE"
                + " IDs. Fault campaign only. !!!");
    IdMintServer server = new IdMintServer(config, Clock.system(), control.factory()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "idmint-shutdown"));
    System.out.println(server.startupLine());
    System.out.flush();
    stopped.await();
  }
}
