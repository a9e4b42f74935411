# One image for the JVM components that are not the Quarkus service: the analytics application
# (com.cpo.analytics.AnalyticsApp), the station agent (com.cpo.agent.StationAgentMain) and the tester
# simulator (com.cpo.simulator.SimulatorMain). The command picks one. Build the application first:
#   ./mvnw -DskipTests package        (from the repository root; this file's build context is the root)
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY launcher/target/lib/ /app/lib/
COPY launcher/target/launcher.jar /app/lib/
RUN mkdir -p /data /state && chown 1001 /data /state
USER 1001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*"]
CMD ["com.cpo.analytics.AnalyticsApp"]
