# syntax=docker/dockerfile:1

# ---- build: Maven (through the project's wrapper) on Eclipse Temurin 21 ----
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src

# Dependencies first, in their own layer: this only re-runs when the pom or wrapper changes.
# The cache mount keeps ~/.m2 (dependencies and the wrapper's Maven) between builds.
COPY pom.xml mvnw ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp dependency:go-offline

COPY src src
COPY examples examples
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests package

# ---- run: JRE 21 only, fixed non-root uid, no shell used ----
FROM eclipse-temurin:21-jre

ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ordinal-operator" \
      org.opencontainers.image.description="Kubernetes operator for OrdinalSets: StatefulSet semantics with first-class claim and volume binding" \
      org.opencontainers.image.source="https://github.com/ordinal-dev/ordinal-operator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:21-jre"

COPY --from=build /src/target/ordinal-operator.jar /app/ordinal-operator.jar

# 65532 is the conventional "nonroot" uid (distroless); the chart's securityContext uses it too.
USER 65532:65532
WORKDIR /app
EXPOSE 8080

# Heap sized from the container memory limit; exit (and let Kubernetes restart the pod) on
# OutOfMemoryError; temporary files in /tmp, which the chart mounts as an emptyDir so the
# root filesystem can stay read-only. Extra JVM options: JAVA_TOOL_OPTIONS (cannot override
# the flags below). Extra operator flags: container args, appended after "run".
ENTRYPOINT ["java", \
            "-XX:MaxRAMPercentage=75", \
            "-XX:+ExitOnOutOfMemoryError", \
            "-Djava.io.tmpdir=/tmp", \
            "-jar", "/app/ordinal-operator.jar", \
            "run"]
