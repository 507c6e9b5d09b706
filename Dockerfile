# Build stage: the Maven wrapper fetches Maven and the dependencies from Maven Central.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package

# Run stage: a JRE, a non-root user, and a working directory holding application.yaml and routes/.
FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /app hub
WORKDIR /app
COPY --from=build /build/target/intercom-hub-*.jar /app/intercom-hub.jar
COPY application.yaml /app/application.yaml
COPY routes /app/routes
RUN mkdir -p /app/data && chown -R hub /app
USER hub
EXPOSE 8080 8089
VOLUME ["/app/data"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/intercom-hub.jar"]
