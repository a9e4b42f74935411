# A Kafka KRaft node (com.cpo.embedded.KafkaNode) from Kafka's Maven artifacts at the version the Quarkus BOM pins
# (embedded/target/kafka-lib); also runs the topic and ACL set-up (com.cpo.schemas.CreateTopics).
ARG JRE=cpo/jre:latest
FROM ${JRE}
COPY lib/ /opt/kafka/lib/
RUN mkdir -p /var/lib/kafka && chown 1001 /var/lib/kafka
USER 1001
VOLUME /var/lib/kafka
EXPOSE 9092 9093 9094
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.com.cpo=info", "-cp", "/opt/kafka/lib/*"]
CMD ["com.cpo.embedded.KafkaNode"]
