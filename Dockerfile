# syntax=docker/dockerfile:1
#
# idmint server image. Build and run (see docs/operations.md):
#   docker build -t idmint .
#   docker run --rm -p 7070:7070 -v "$PWD/idmint.yaml:/etc/idmint/idmint.yaml:ro" \
#     -e IDMINT_CONFIG=/etc/idmint/idmint.yaml -e IDMINT_TOKEN_ORDERS="$(openssl rand -hex 24)" idmint
#   docker run --rm -p 7070:7070 -v "$PWD/idmint.yaml:/etc/idmint/idmint.yaml:ro" \
#     -e IDMINT_TOKEN_ORDERS="$(openssl rand -hex 24)" \
#     idmint --coordinator jdbc:postgresql://db:5432/ids --config /etc/idmint/idmint.yaml
# Arguments after the image name are passed to `idmint serve`.
#
# A container must set ID tokens (auth.tokens in the configuration, values from the environment)
# or say --insecure-no-auth / IDMINT_INSECURE_NO_AUTH=true: without either the node is in
# protected mode and listens on the container's loopback only, so a published port reaches
# nothing (the HEALTHCHECK below, which runs inside the container, still passes).

# ---- build: the shaded server jar, with the project's own Maven wrapper ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# Tests and the formatting check run in CI (./mvnw -B verify), not in the image build.
# The cache mount keeps ~/.m2 (Maven itself and the dependencies) between builds.
RUN --mount=type=cache,target=/root/.m2 \
    sh ./mvnw -B -ntp -DskipTests -Dspotless.check.skip=true -pl idmint-server -am package \
 && cp idmint-server/target/idmint-server.jar /idmint-server.jar

# ---- run: JRE only, non-root ----
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 idmint \
 && useradd --system --uid 10001 --gid idmint --home-dir /var/lib/idmint --no-create-home \
      --shell /usr/sbin/nologin idmint \
 && mkdir -p /opt/idmint /var/lib/idmint /etc/idmint \
 && chown idmint:idmint /var/lib/idmint
COPY --from=build /idmint-server.jar /opt/idmint/idmint-server.jar

# The embedded H2 coordinator (no --coordinator given) keeps its file here; unused otherwise.
ENV IDMINT_DATA_DIR=/var/lib/idmint
VOLUME ["/var/lib/idmint"]
WORKDIR /var/lib/idmint
USER 10001:10001
EXPOSE 7070

# No curl in this image: bash's /dev/tcp asks /health/live for a 200.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${IDMINT_PORT:-7070} && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Exec form: java is PID 1 and receives SIGTERM itself (graceful shutdown, worker released).
# Heap at 60% of the container's memory limit leaves room for Netty's direct buffers, metaspace
# and thread stacks. Add JVM flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/idmint/idmint-server.jar", "serve"]
