# The Quarkus service (REST API, dashboard, reports). Build the application first:
#   ./mvnw -DskipTests package        (from the repository root; this file's build context is the root)
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY services/platform/target/quarkus-app/ /app/
ENV QUARKUS_HTTP_HOST=0.0.0.0
EXPOSE 8080
RUN mkdir -p /data /state /var/lib/cpo && chown 1001 /data /state /var/lib/cpo && chmod 700 /var/lib/cpo
USER 1001
CMD ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]
