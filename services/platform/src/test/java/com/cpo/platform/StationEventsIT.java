package com.cpo.platform;

import static com.cpo.platform.TestStationEvents.alignment;
import static com.cpo.platform.TestStationEvents.completed;
import static com.cpo.platform.TestStationEvents.reading;
import static com.cpo.platform.TestStationEvents.started;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentStep;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/** Station events become runs, alignment values and burn-in summaries, each stored once however often it arrives. */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class StationEventsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant START = Instant.parse("2026-03-04T07:00:00Z");
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig()
            .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);

    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void alignmentValuesAreStoredOnceAndShownWithTheLimitsTheRunWasJudgedBy() throws SQLException {
        // given: released limits for the product, 2.0 dB on every channel and 1.5 dB on channel 2
        String product = TestVerdicts.uniqueSerial("PA");
        String serial = TestVerdicts.uniqueSerial("SN");
        LimitSetsIT.draft(product, List.of(LimitSetsIT.limit("coupling_loss", null, null, 2.0),
                LimitSetsIT.limit("coupling_loss", 2, null, 1.5)));
        LimitSetsIT.release(product, 1);
        var postThermal = alignment(serial, "ALN-01", 1, AlignmentStep.POST_THERMAL, START.plusSeconds(60), 1.2, 1.7, 1.1);

        // when: every event twice, as after a station agent's restart
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            for (int copy = 0; copy < 2; copy++) {
                producer.send(Topics.STATION_EVENTS.name(), serial, started(serial, product, "LOT-S", "ALN-01",
                        Operation.ALIGN, 1, START, 3));
                producer.send(Topics.STATION_EVENTS.name(), serial, alignment(serial, "ALN-01", 1, AlignmentStep.PRE_CURE,
                        START.plusSeconds(30), 1.1, 1.6, 1.0));
                producer.send(Topics.STATION_EVENTS.name(), serial, postThermal);
                producer.send(Topics.STATION_EVENTS.name(), serial, completed(serial, "ALN-01", Operation.ALIGN, 1,
                        START.plusSeconds(90)));
            }
            producer.send(Topics.VERDICTS.name(), serial, TestVerdicts.verdict(serial, product, "LOT-S", "ALN-01",
                    Operation.ALIGN, 1, Outcome.FAIL, START, 1, null, List.of(TestVerdicts.couplingLoss(2, 1.7, 1.5))));
        }

        // then
        JsonPath unit = await().atMost(TIMEOUT).until(() -> {
            Response r = given().get("/api/units/{serial}", serial);
            return r.statusCode() == 200 ? r.jsonPath(DOUBLES) : null;
        }, u -> u != null && u.getList("runs").size() == 1 && u.getList("runs[0].measurements").size() == 12
                && u.getString("runs[0].completedAt") != null);
        assertThat(unit.getList("runsInProgress")).isEmpty();
        assertThat(unit.getString("runs[0].operator")).isEqualTo("op-7");
        assertThat(unit.getInt("runs[0].limitSetVersion")).isEqualTo(1);
        List<java.util.Map<String, Object>> loss = unit.getList(
                "runs[0].measurements.findAll { it.parameter == 'coupling_loss' && it.step == 'POST_THERMAL' }");
        assertThat(loss).extracting(m -> m.get("channel")).containsExactly(1, 2, 3);
        assertThat(loss).extracting(m -> m.get("value")).containsExactly(1.2, 1.7, 1.1);
        assertThat(loss).extracting(m -> m.get("upperLimit")).containsExactly(2.0, 1.5, 2.0);
        assertThat(loss).extracting(m -> m.get("withinLimits")).containsExactly(true, false, true);
        assertThat(count("SELECT count(*) FROM alignment_values WHERE serial = ?", serial)).isEqualTo(6);
        assertThat(count("SELECT count(*) FROM runs WHERE run_id = ?", TestStationEvents.runId(serial, Operation.ALIGN, 1)))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM lots WHERE product = ?", product)).isEqualTo(1);
    }

    @Test
    void burnInReadingsFoldIntoOneSummaryPerChannelAndARedeliveredReadingCountsOnce() throws SQLException {
        // given
        String product = TestVerdicts.uniqueSerial("PB");
        String serial = TestVerdicts.uniqueSerial("SN");
        Instant t0 = START.plusSeconds(3600);

        // when: readings of channel 1 arrive out of order and one twice
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            producer.send(Topics.STATION_EVENTS.name(), serial, started(serial, product, "LOT-B", "BI-RACK-2",
                    Operation.BURNIN, 1, t0, 2));
            producer.send(Topics.STATION_EVENTS.name(), serial, reading(serial, "BI-RACK-2", 1, t0.plusSeconds(60), 3.00, 40.0));
            producer.send(Topics.STATION_EVENTS.name(), serial, reading(serial, "BI-RACK-2", 1, t0.plusSeconds(180), 2.70, 41.0));
            producer.send(Topics.STATION_EVENTS.name(), serial, reading(serial, "BI-RACK-2", 1, t0.plusSeconds(120), 3.10, 40.5));
            producer.send(Topics.STATION_EVENTS.name(), serial, reading(serial, "BI-RACK-2", 1, t0.plusSeconds(120), 3.10, 40.5));
            producer.send(Topics.STATION_EVENTS.name(), serial, reading(serial, "BI-RACK-2", 2, t0.plusSeconds(60), 2.50, 38.0));
        }

        // then: the run is in progress (no verdict), with one summary per channel
        JsonPath unit = await().atMost(TIMEOUT).until(() -> {
            Response r = given().get("/api/units/{serial}", serial);
            return r.statusCode() == 200 ? r.jsonPath(DOUBLES) : null;
        }, u -> u != null && u.getList("runsInProgress").size() == 1
                && u.getList("runsInProgress[0].burnIn").size() == 2
                && u.getDouble("runsInProgress[0].burnIn[0].readings") == 3.0);
        assertThat(unit.getList("runs")).isEmpty();
        assertThat(unit.getString("runsInProgress[0].outcome")).isNull();
        assertThat(unit.getDouble("runsInProgress[0].burnIn[0].firstPowerDbm")).isEqualTo(3.00);
        assertThat(unit.getDouble("runsInProgress[0].burnIn[0].lastPowerDbm")).isEqualTo(2.70);
        assertThat(unit.getDouble("runsInProgress[0].burnIn[0].maxPowerDbm")).isEqualTo(3.10);
        assertThat(unit.getDouble("runsInProgress[0].burnIn[0].powerChangeFirstToLastDb")).isCloseTo(-0.30, within(1e-9));
        assertThat(unit.getDouble("runsInProgress[0].burnIn[0].biasChangeFirstToLastPct")).isCloseTo(2.5, within(1e-9));
        assertThat(count("SELECT count(*) FROM burnin_channel_summaries WHERE serial = ?", serial)).isEqualTo(2);
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
