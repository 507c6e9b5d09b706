# Build stage: the Maven wrapper fetches Maven and the dependencies from Maven Central.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
# src/main (the hub) and src/sandbox (the demo's sandbox and stubs, a second source root of the same module)
COPY src src
RUN ./mvnw -B -q -DskipTests package

# Run stage: a JRE, a non-root user, and a working directory holding application.yaml and routes/.
FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /app hub
WORKDIR /app
COPY --from=build /build/target/intercom-hub-*.jar /app/intercom-hub.jar
COPY application.yaml application-demo.yaml /app/
COPY routes /app/routes
RUN mkdir -p /app/data && chown -R hub /app
USER hub
# 8080 only: the demo profile's sandbox and stub receivers (SPRING_PROFILES_ACTIVE=demo) listen on loopback inside
# the container and talk only to the hub.
EXPOSE 8080
VOLUME ["/app/data"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/intercom-hub.jar"]
