package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.domain.spc.ControlBaseline;
import com.cpo.domain.spc.Subgroup;
import com.cpo.events.SpcBaseline;
import com.cpo.events.SpcPoint;
import com.cpo.events.SpcViolation;
import com.cpo.events.WesternElectricRule;
import com.cpo.schemas.EventDeserializer;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Control charts on the packaged service, a real broker and a real PostgreSQL: the analytics app's points and violations
 * are stored; an engineer freezes a baseline from a period's points (the domain's computation) and it is published to
 * the analytics app; a chart answers its points with limits and rules broken.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class SpcIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static EventProducer events;
    private final String product = "SPC-" + UUID.randomUUID().toString().substring(0, 8);
    private final Instant t0 = Instant.parse("2026-11-20T00:00:00Z");

    @BeforeAll
    static void producers() {
        events = new EventProducer(SharedInfrastructure.kafka().bootstrapServers());
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private SpcPoint point(int hour, int channel, long n, double mean, double sd) {
        Instant start = t0.plusSeconds(3600L * hour);
        return SpcPoint.newBuilder().setEventId(product + "|AA-01|" + channel + "|" + start).setProduct(product).setStation("AA-01")
                .setChannel(channel).setHourStart(start).setN(n).setMeanDb(mean).setStdDevDb(sd).setViolations(List.of()).build();
    }

    @Test
    void aBaselineFrozenFromStoredPointsIsTheDomainsAndIsPublished() {
        // given 24 hours of points on channel 1 and 5 on channel 2 (too few for a baseline)
        List<Subgroup> truth = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            double mean = 1.2 + 0.01 * ((h % 5) - 2);
            double sd = 0.1 + 0.005 * (h % 3);
            truth.add(new Subgroup(10 + h % 4, mean, sd));
            events.send(Topics.SPC_POINTS.name(), product + "|AA-01|1|" + h, point(h, 1, 10 + h % 4, mean, sd));
            if (h < 5) {
                events.send(Topics.SPC_POINTS.name(), product + "|AA-01|2|" + h, point(h, 2, 10, 1.0, 0.1));
            }
        }
        await().atMost(DEADLINE).until(() -> given().queryParam("product", product).queryParam("station", "AA-01").queryParam("channel", 1)
                .queryParam("from", t0.toString()).queryParam("to", t0.plusSeconds(86_400).toString()).get("/api/spc/chart").jsonPath()
                .getList("points").size() == 24);

        // when a viewer tries to freeze, then an engineer freezes the day as baseline
        String body = "{\"from\":\"" + t0 + "\",\"to\":\"" + t0.plusSeconds(86_400) + "\",\"reason\":\"qualified process, week 47\"}";
        Sessions.as("it-viewer").spec().contentType(ContentType.JSON).body(body).post("/api/spc/baselines/{p}/AA-01", product).then().statusCode(403);
        JsonPath frozen = given().contentType(ContentType.JSON).body(body).post("/api/spc/baselines/{p}/AA-01", product).then().statusCode(201)
                .extract().jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));

        // then version 1 holds channel 1 with the domain's centre and sigma, and says why channel 2 is left out
        ControlBaseline expected = ControlBaseline.of(truth);
        assertThat(frozen.getInt("version")).isEqualTo(1);
        assertThat(frozen.getList("channels.channel", Integer.class)).containsExactly(1);
        assertThat(frozen.getDouble("channels[0].centreDb")).isCloseTo(expected.centre(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(frozen.getDouble("channels[0].sigmaDb")).isCloseTo(expected.sigma(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(frozen.getString("channelsLeftOut.2")).contains("at least 20 hourly subgroups");
        assertThat(frozen.getString("frozenBy")).isEqualTo(Sessions.EVERY_ROLE);

        // and the analytics app gets it on its topic, keyed product|station
        SpcBaseline published = awaitPublished(product + "|AA-01");
        assertThat(published.getVersion()).isEqualTo(1);
        assertThat(published.getChannels().get(0).getSigmaDb()).isCloseTo(expected.sigma(), org.assertj.core.data.Offset.offset(1e-9));

        // and a second freeze is version 2
        given().contentType(ContentType.JSON).body(body).post("/api/spc/baselines/{p}/AA-01", product).then().statusCode(201);
        assertThat(given().get("/api/spc/baselines/{p}/AA-01", product).jsonPath().getList("version", Integer.class)).containsExactly(2, 1);
    }

    @Test
    void aChartShowsItsLimitsAndTheRulesItsPointsBroke() {
        SpcPoint flagged = SpcPoint.newBuilder(point(3, 4, 12, 1.45, 0.1)).setBaselineVersion(1).setCentreDb(1.2).setLowerControlLimitDb(1.11)
                .setUpperControlLimitDb(1.29).setZ(8.66).setViolations(List.of(WesternElectricRule.BEYOND_3_SIGMA)).build();
        events.send(Topics.SPC_POINTS.name(), flagged.getEventId(), flagged);
        events.send(Topics.SPC_VIOLATIONS.name(), product + "|AA-01", SpcViolation.newBuilder().setEventId(flagged.getEventId() + "|BEYOND_3_SIGMA")
                .setEventTime(flagged.getHourStart().plusSeconds(3600)).setProduct(product).setStation("AA-01").setChannel(4)
                .setHourStart(flagged.getHourStart()).setRule(WesternElectricRule.BEYOND_3_SIGMA).setN(12).setMeanDb(1.45).setZ(8.66)
                .setCentreDb(1.2).setLowerControlLimitDb(1.11).setUpperControlLimitDb(1.29).setBaselineVersion(1)
                .setMessage("1 point beyond 3σ").build());

        // (two topics, two consumers: either may be stored first)
        await().atMost(DEADLINE).until(() -> given().queryParam("product", product).queryParam("from", t0.toString())
                .queryParam("to", t0.plusSeconds(86_400).toString()).get("/api/spc/violations").jsonPath().getList("rule").size() == 1
                && given().queryParam("product", product).queryParam("station", "AA-01").queryParam("channel", 4).queryParam("from", t0.toString())
                        .queryParam("to", t0.plusSeconds(86_400).toString()).get("/api/spc/chart").jsonPath().getList("points").size() == 1);
        JsonPath chart = given().queryParam("product", product).queryParam("station", "AA-01").queryParam("channel", 4)
                .queryParam("from", t0.toString()).queryParam("to", t0.plusSeconds(86_400).toString()).get("/api/spc/chart")
                .then().extract().jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
        assertThat(chart.getList("points.violations[0]", String.class)).containsExactly("BEYOND_3_SIGMA");
        assertThat(chart.getDouble("points[0].upperControlLimitDb")).isEqualTo(1.29);
    }

    @Test
    void badRequestsAreProblemsNamingWhatIsWrong() {
        given().queryParam("product", product).queryParam("station", "AA-01").queryParam("channel", 1).queryParam("from", "last week")
                .get("/api/spc/chart").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"from\":\"" + t0 + "\",\"to\":\"" + t0.plusSeconds(3600) + "\",\"reason\":\"r\"}")
                .post("/api/spc/baselines/{p}/AA-01", product).then().statusCode(400).contentType("application/problem+json");
    }

    private static SpcBaseline awaitPublished(String key) {
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "spc-reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new EventDeserializer())) {
            consumer.subscribe(List.of(Topics.SPC_BASELINES.name()));
            List<ConsumerRecord<String, SpecificRecord>> seen = new ArrayList<>();
            return await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().filter(r -> key.equals(r.key())).map(r -> (SpcBaseline) r.value()).findFirst().orElse(null);
            }, b -> b != null);
        }
    }
}
