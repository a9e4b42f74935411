# The Quarkus service (REST API, dashboard, reports): services/platform/target/quarkus-app.
ARG JRE=cpo/jre:latest
FROM ${JRE}
COPY app/ /opt/cpo/service/
RUN mkdir -p /var/lib/cpo/admin && chown -R 1001 /var/lib/cpo && chmod -R 700 /var/lib/cpo
USER 1001
ENV QUARKUS_HTTP_HOST=0.0.0.0
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=12 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-jar", "/opt/cpo/service/quarkus-run.jar"]
