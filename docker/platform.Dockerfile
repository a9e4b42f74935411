# One image for the JVM components that are not the Quarkus service: the analytics application
# (com.cpo.analytics.AnalyticsApp), the station agent (com.cpo.agent.StationAgentMain) and the tester
# simulator (com.cpo.simulator.SimulatorMain). The command picks one. Build the application first:
#   ./mvnw -DskipTests package        (from the repository root; this file's build context is the root)
FROM eclipse-temurin:17-jre
WORKDIR /app
# the two distributions (target/dist/lib of each module): no broker, Scala or PostgreSQL binaries among them
COPY services/analytics/target/dist/lib/ /app/lib/
COPY station-agents/target/dist/lib/ /app/lib/
RUN mkdir -p /data /state && chown 1001 /data /state
USER 1001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*"]
CMD ["com.cpo.analytics.AnalyticsApp"]
