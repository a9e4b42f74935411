# A station: the station agent (com.cpo.agent.StationAgentMain) and, for demonstrations, the tester simulator
# (com.cpo.simulator.SimulatorMain): station-agents/target/dist/lib. The tester's folder and the spool on /var/lib/cpo.
ARG JRE=cpo/jre:latest
FROM ${JRE}
COPY lib/ /opt/cpo/lib/
RUN mkdir -p /var/lib/cpo && chown 1001 /var/lib/cpo
USER 1001
VOLUME /var/lib/cpo
EXPOSE 9100
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-cp", "/opt/cpo/lib/*"]
CMD ["com.cpo.agent.StationAgentMain", "--help"]
