# The analytics application (Kafka Streams): services/analytics/target/dist/lib. State on /var/lib/cpo/state (a volume).
ARG JRE=cpo/jre:latest
FROM ${JRE}
COPY lib/ /opt/cpo/lib/
RUN mkdir -p /var/lib/cpo/state && chown -R 1001 /var/lib/cpo
USER 1001
VOLUME /var/lib/cpo/state
ENV CPO_ANALYTICS_STATE_DIR=/var/lib/cpo/state CPO_ANALYTICS_QUERY_HOST=0.0.0.0 CPO_ANALYTICS_QUERY_PORT=8091
EXPOSE 8091
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=12 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8091"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-cp", "/opt/cpo/lib/*", "com.cpo.analytics.AnalyticsApp"]
