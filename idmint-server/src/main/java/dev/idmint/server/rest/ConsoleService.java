package dev.idmint.server.rest;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.FileServiceBuilder;
import com.linecorp.armeria.server.file.HttpFile;
import com.linecorp.armeria.server.file.HttpFileBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The web console: one static page at {@code /console} and its assets, read from the jar. The shell
 * holds no data; everything it shows comes from the admin and ID APIs with the token the operator
 * types in, so serving it needs no token. Vue comes from its WebJar, not a CDN.
 */
public final class ConsoleService {
  private static final String ROOT = "console";
  private static final String VUE_POM = "META-INF/maven/org.webjars.npm/vue/pom.properties";

  /**
   * Scripts only from this origin, no inline script, no eval, no framing: the templates are
   * compiled to render functions ahead of time ({@code console.templates.js}) and run on Vue's
   * runtime-only build, which has no template compiler.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private static final Map<String, String> HEADERS =
      Map.of(
          "content-security-policy", CONTENT_SECURITY_POLICY,
          "x-content-type-options", "nosniff",
          "referrer-policy", "no-referrer",
          "x-frame-options", "DENY");

  /** A missing file goes through the server's error handler: the same JSON 404 as the API. */
  private static final HttpService NOT_FOUND =
      (ctx, req) -> {
        throw HttpStatusException.of(HttpStatus.NOT_FOUND);
      };

  private ConsoleService() {}

  /**
   * Adds {@code /console}, {@code /console/…} and {@code /console/vendor/vue/…} to {@code server}.
   */
  public static void register(ServerBuilder server) {
    ClassLoader loader = ConsoleService.class.getClassLoader();
    server
        .route()
        .methods(HttpMethod.GET, HttpMethod.HEAD)
        .path("/console")
        .build(
            secured(HttpFile.builder(loader, ROOT + "/index.html"))
                .cacheControl("no-cache")
                .build()
                .asService());
    server
        .route()
        .methods(HttpMethod.GET, HttpMethod.HEAD)
        .pathPrefix("/console/vendor/vue/")
        .build(
            secured(FileService.builder(loader, vueDist(loader)))
                .cacheControl("public, max-age=86400")
                .build()
                .orElse(NOT_FOUND));
    server
        .route()
        .methods(HttpMethod.GET, HttpMethod.HEAD)
        .pathPrefix("/console/")
        .build(
            secured(FileService.builder(loader, ROOT))
                .cacheControl("no-cache")
                .build()
                .orElse(NOT_FOUND));
  }

  /** Where the Vue WebJar keeps its browser builds; the version is read from the WebJar itself. */
  static String vueDist(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(VUE_POM)) {
      if (in == null) {
        throw new IllegalStateException("the Vue WebJar is not on the class path: " + VUE_POM);
      }
      Properties pom = new Properties();
      pom.load(in);
      return "META-INF/resources/webjars/vue/" + pom.getProperty("version") + "/dist";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpFileBuilder secured(HttpFileBuilder file) {
    HEADERS.forEach(file::setHeader);
    return file;
  }

  private static FileServiceBuilder secured(FileServiceBuilder files) {
    HEADERS.forEach(files::setHeader);
    return files;
  }
}
