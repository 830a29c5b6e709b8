# One image recipe for every Portico service; docker-compose.yml passes the module and its ops port.
# Build from the repository root, e.g.:
#   docker build -f deploy/service.Dockerfile --build-arg MODULE=edge-service --build-arg OPS_PORT=8090 .

# --- build stage: compile only this module and the modules it depends on ---
FROM maven:3.9.11-eclipse-temurin-17 AS build
ARG MODULE
WORKDIR /src
COPY . .
# Tests run in CI, not in the image build; the formatter must not rewrite sources here.
RUN mvn -B -q -DskipTests -Dspotless.apply.skip=true -Dspotless.check.skip=true \
      -pl "${MODULE}" -am package \
 && cp "${MODULE}/target/${MODULE}.jar" /src/app.jar

# --- run stage: JRE only, non-root ---
FROM eclipse-temurin:17.0.16_8-jre
ARG OPS_PORT
RUN groupadd --system --gid 10001 portico \
 && useradd --system --uid 10001 --gid portico --no-create-home --shell /usr/sbin/nologin portico \
 && mkdir -p /app/state && chown portico:portico /app/state
COPY --from=build /src/app.jar /app/app.jar
USER portico
WORKDIR /app
# The port /ready is served on, kept for the healthcheck at run time.
ENV HEALTH_PORT=${OPS_PORT}
EXPOSE ${OPS_PORT}
# No curl/wget in the JRE image: speak HTTP over bash's /dev/tcp. /ready is 200 only once
# Kafka is reachable and start-up is done, 503 otherwise.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${HEALTH_PORT} && printf "GET /ready HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
# Size the heap from the container's memory limit rather than the host's.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
