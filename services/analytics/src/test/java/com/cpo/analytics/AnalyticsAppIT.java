package com.cpo.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.testsupport.SharedInfrastructure;

/** The application as deployed — exactly-once, real broker, interactive queries and metrics over HTTP. */
class AnalyticsAppIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void judgesRunsOnARealBrokerAndServesLiveFiguresAndMetrics() throws Exception {
        // given a broker with the platform's topics, a limit set, and the application running exactly-once
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        kafka.createTopics(com.cpo.schemas.TopicLayout.SINGLE_BROKER.newTopics());
        EventCodec codec = EventCodec.standard();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "streams-it-");
        AnalyticsConfig config = AnalyticsConfig.defaults().withBootstrapServers(kafka.bootstrapServers()).withStateDir(state.toString())
                .withQueryPort(0).withApplicationId("analytics-it-" + System.nanoTime());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
                AnalyticsApp app = AnalyticsApp.start(config)) {
            LimitSet limits = LimitSet.newBuilder().setLimitSetId("CPO-OE16/ALIGN").setVersion(1).setProduct("CPO-OE16")
                    .setOperation(Operation.ALIGN).setEffectiveFrom(StreamFixture.T0.minusSeconds(3600)).setReleasedBy("it")
                    .setLimits(List.of(StreamFixture.limit("coupling_loss", null, 2.0, "dB"))).build();
            producer.send(new ProducerRecord<>(Topics.LIMITS.name(), "CPO-OE16/ALIGN@1", codec.encode(limits))).get();
            double[] bad = StreamFixture.channels(16, 1.2);
            bad[5] = 3.3;

            // when two units are tested, one failing
            for (var e : StreamFixture.alignmentRun("IT-A", "L-IT", "AA-01", 1, StreamFixture.T0, StreamFixture.channels(16, 1.2))) {
                producer.send(new ProducerRecord<>(Topics.STATION_EVENTS.name(), "IT-A", codec.encode(e)));
            }
            for (var e : StreamFixture.alignmentRun("IT-B", "L-IT", "AA-01", 1, StreamFixture.T0.plusSeconds(60), bad)) {
                producer.send(new ProducerRecord<>(Topics.STATION_EVENTS.name(), "IT-B", codec.encode(e)));
            }
            producer.flush();

            // then the live yield of the lot shows them within seconds
            String base = "http://127.0.0.1:" + app.queryPort();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> yield = get(base + "/yield?dimension=LOT&group=L-IT");
                assertThat(yield.statusCode()).isEqualTo(200);
                assertThat(yield.body()).contains("\"units\" : 2", "\"firstPassUnits\" : 1", "\"firstPassYield\" : 0.5");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(base + "/statistics?scope=PRODUCT_LOT&lot=L-IT&channel=6").body()).contains("\"n\" : 2", "\"maxDb\" : 3.3"));
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            assertThat(get(base + "/ready").statusCode()).isEqualTo(200);
            assertThat(get(base + "/metrics").body()).contains("kafka_stream_thread_process_total", "jvm_memory_used_bytes");
            // the two verdicts are counted (summed over the tasks) and their latency is measured, once the
            // tasks' own metrics are picked up (every 5 s)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = get(base + "/metrics").body();
                double verdicts = metrics.lines().filter(l -> l.startsWith("kafka_cpo_analytics_verdicts_total{"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
                assertThat(verdicts).as(metrics.lines().filter(l -> l.contains("cpo_analytics")).toList().toString()).isEqualTo(2.0);
                assertThat(metrics).contains("kafka_cpo_analytics_verdict_latency_max_ms{", "kafka_cpo_analytics_late_station_events_total{");
            });
            assertThat(get(base + "/yield?dimension=WEEK").statusCode()).isEqualTo(400);
        }
    }
}
