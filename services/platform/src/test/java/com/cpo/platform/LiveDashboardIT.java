package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlarmKind;
import com.cpo.events.AlignmentStep;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInChannelStatus;
import com.cpo.events.BurnInStatus;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.StatisticsScope;
import com.cpo.events.YieldDimension;
import com.cpo.events.YieldFigures;
import com.cpo.schemas.EventSerializer;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The dashboard's stream on the packaged service and a real broker: the analytics topics' latest figures arrive
 * as the snapshot of every connection (so a reconnecting browser catches up), and a new verdict arrives as an
 * event of its own while the stream is open.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class LiveDashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PUSH_DEADLINE = Duration.ofSeconds(10);
    private static EventProducer events;
    private static VerdictProducer verdicts;
    private final String product = "LIVE-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void producers() {
        events = new EventProducer(SharedInfrastructure.kafka().bootstrapServers());
        verdicts = new VerdictProducer(SharedInfrastructure.kafka().bootstrapServers(), Topics.VERDICTS.name());
    }

    @AfterAll
    static void close() {
        events.close();
        verdicts.close();
    }

    private String liveUrl(String query) {
        return RestAssured.baseURI + ":" + RestAssured.port + "/api/live" + query;
    }

    @Test
    void everyConnectionStartsWithTheLatestFiguresThenGetsEachNewVerdict() throws Exception {
        // given the analytics app has published two revisions of a lot's yield and a channel's statistics, and a failure
        events.send(Topics.YIELD.name(), "y1", yieldFigures(1, 10, 7, 9));
        events.send(Topics.YIELD.name(), "y1", yieldFigures(2, 12, 9, 11));
        events.send(Topics.COUPLING_LOSS_STATS.name(), "s1", statistics(3, 40, 1.21, 0.2, 1.3));
        verdicts.send(TestVerdicts.verdict("SN-" + product, product, "LOT-A", "AA-01", Operation.ALIGN, 1,
                com.cpo.events.Outcome.FAIL, Instant.parse("2026-11-24T08:00:00Z"), 1, null,
                List.of(FailedCheck.newBuilder().setParameter("coupling_loss").setStep(AlignmentStep.POST_THERMAL).setChannel(3)
                        .setValue(2.6).setUpperLimit(2.0).setUnitOfMeasure("dB").build())));

        // and the service has read them
        await().atMost(PUSH_DEADLINE).until(() -> {
            JsonNode s = JSON.readTree(given().queryParam("product", product).queryParam("lot", "LOT-A").get("/api/live/snapshot").asString());
            return s.path("failures").size() == 1 && s.path("statistics").size() == 1 && s.path("yield").path(0).path("revision").asLong() == 2;
        });

        // when a dashboard of the product and lot connects
        try (SseStream stream = new SseStream(liveUrl("?product=" + product + "&lot=LOT-A"))) {
            // then its first event is a snapshot holding the latest revision of each figure and the failure
            await().atMost(PUSH_DEADLINE).until(() -> !stream.events().isEmpty());
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.events().get(0).name()).isEqualTo("snapshot");
            JsonNode snapshot = JSON.readTree(stream.events().get(0).data());
            JsonNode lot = snapshot.path("yield").get(0);
            assertThat(lot.path("group").asText()).isEqualTo("LOT-A");
            assertThat(lot.path("revision").asLong()).isEqualTo(2);
            assertThat(lot.path("units").asInt()).isEqualTo(12);
            assertThat(lot.path("fpy").asDouble()).isEqualTo(9 / 12.0);
            JsonNode channel = snapshot.path("statistics").get(0);
            assertThat(channel.path("n").asLong()).isEqualTo(40);
            assertThat(channel.path("cpk").asDouble()).isEqualTo(1.3);
            assertThat(channel.has("summary")).isFalse();
            JsonNode failure = snapshot.path("failures").get(0);
            assertThat(failure.path("serial").asText()).isEqualTo("SN-" + product);
            assertThat(failure.path("failedChecks").get(0).path("channel").asInt()).isEqualTo(3);

            // and when the next verdict of the product is published, it arrives as an event of its own
            String serial = "SN2-" + product;
            verdicts.send(TestVerdicts.verdict(serial, product, "LOT-A", "AA-01", Operation.ALIGN, 1, com.cpo.events.Outcome.PASS,
                    Instant.parse("2026-11-24T08:05:00Z"), 1, null, List.of()));
            await().atMost(PUSH_DEADLINE).until(() -> stream.events("verdict").stream().anyMatch(e -> e.data().contains(serial)));
            // and a verdict of another product does not
            verdicts.send(TestVerdicts.verdict("OTHER-" + product, "OTHER", "LOT-A", "AA-01", Operation.ALIGN, 1,
                    com.cpo.events.Outcome.PASS, Instant.parse("2026-11-24T08:06:00Z"), 1, null, List.of()));
            events.send(Topics.YIELD.name(), "y1", yieldFigures(3, 13, 10, 12));
            await().atMost(PUSH_DEADLINE).until(() -> stream.events("yield").stream().anyMatch(e -> e.data().contains("\"revision\":3")));
            assertThat(stream.events("verdict")).noneMatch(e -> e.data().contains("OTHER-" + product));
        }

        // and a dashboard that connects again (as a browser after a restart) catches up from its snapshot alone
        try (SseStream again = new SseStream(liveUrl("?product=" + product))) {
            await().atMost(PUSH_DEADLINE).until(() -> !again.events("snapshot").isEmpty());
            JsonNode snapshot = JSON.readTree(again.events("snapshot").get(0).data());
            assertThat(snapshot.path("verdicts").findValuesAsText("serial")).contains("SN2-" + product, "SN-" + product);
            assertThat(snapshot.path("yield").get(0).path("revision").asLong()).isEqualTo(3);
            // without a lot, statistics per product and lot stay out
            assertThat(snapshot.path("statistics")).isEmpty();
        }
    }

    @Test
    void aPartitionAddedToATopicWhileTheServiceRunsIsReadToo() throws Exception {
        // given the alarm topic gets one partition more while the service runs
        String topic = Topics.BURNIN_ALARMS.name();
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String eventId = "alarm-" + product;
        int added;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            added = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(added + 1))).all().get(30, TimeUnit.SECONDS);
        }

        // and the alarm's unit is in the rack
        events.send(Topics.BURNIN_STATUS.name(), "RUN-" + product, rackStatus("RUN-" + product, -0.3, -0.02, 10.0));

        // when an alarm is written to the new partition
        try (KafkaProducer<String, BurnInAlarm> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new EventSerializer<>())) {
            BurnInAlarm alarm = BurnInAlarm.newBuilder().setEventId(eventId).setEventTime(Instant.now()).setRunId("RUN-" + product)
                    .setSerial("SN-" + product).setStation("BI-01").setSlot(1).setChannel(2).setKind(AlarmKind.POWER_DRIFT_PROJECTED)
                    .setValue(-0.3).setLimit(-0.5).setUnitOfMeasure("dB").setSlopePerHour(-0.02).setHoursToLimit(10.0)
                    .setMessage("power drift heading for its limit").build();
            producer.send(new ProducerRecord<>(topic, added, alarm.getRunId(), alarm)).get(30, TimeUnit.SECONDS);
        }

        // then the service reads it once it looks for partitions again (every 30 s; its metadata is as old at most)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> JSON.readTree(given().get("/api/live/snapshot").asString()).path("alarms").findValuesAsText("eventId")
                        .contains(eventId));
    }

    @Test
    void aUnitInTheRackIsPushedFromTheStatusTopicWithItsOpenAlarmsAndLeavesWithItsTombstone() throws Exception {
        String run = "BI-01/SN-" + product + "/BURNIN/1";
        try (SseStream stream = new SseStream(liveUrl("?product=" + product))) {
            await().atMost(PUSH_DEADLINE).until(() -> !stream.events("snapshot").isEmpty());

            // when the analytics app writes where the unit stands, then raises an alarm for it
            events.send(Topics.BURNIN_STATUS.name(), run, rackStatus(run, -0.3, -0.05, 4.0));
            BurnInAlarm alarm = BurnInAlarm.newBuilder().setEventId(run + ":2:POWER_DRIFT_PROJECTED").setEventTime(Instant.now()).setRunId(run)
                    .setSerial("SN-" + product).setStation("BI-01").setSlot(4).setChannel(2).setKind(AlarmKind.POWER_DRIFT_PROJECTED)
                    .setValue(-0.3).setLimit(-0.5).setUnitOfMeasure("dB").setSlopePerHour(-0.05).setHoursToLimit(4.0)
                    .setMessage("channel 2 power drifts -0.050 dB/h").build();
            events.send(Topics.BURNIN_ALARMS.name(), "SN-" + product, alarm);

            // then this product's dashboard gets the rack with the unit, its worst channel and the hours to its limit
            await().atMost(PUSH_DEADLINE).until(() -> stream.events("burnin").stream().anyMatch(e -> e.data().contains(run)));
            JsonNode unit = null;
            for (var e : stream.events("burnin")) {
                for (JsonNode u : JSON.readTree(e.data()).path("units")) {
                    if (u.path("runId").asText().equals(run)) {
                        unit = u;
                    }
                }
            }
            assertThat(unit.path("serial").asText()).isEqualTo("SN-" + product);
            assertThat(unit.path("lot").asText()).isEqualTo("L-RACK");
            assertThat(unit.path("slot").asInt()).isEqualTo(4);
            assertThat(unit.path("worstChannel").asInt()).isEqualTo(2);
            assertThat(unit.path("hoursToLimit").asDouble()).isEqualTo(4.0);
            assertThat(unit.path("powerLimitDb").asDouble()).isEqualTo(-0.5);
            // and the alarm is open on it: the snapshot of this product's dashboard lists it
            await().atMost(PUSH_DEADLINE).until(() -> JSON.readTree(given().queryParam("product", product).get("/api/live/snapshot").asString())
                    .path("alarms").findValuesAsText("eventId").contains(alarm.getEventId()));

            // when the run is judged: the unit's tombstone
            events.send(Topics.BURNIN_STATUS.name(), run, null);

            // then the rack is pushed without it, and its alarm is no longer open
            await().atMost(PUSH_DEADLINE).until(() -> {
                List<SseStream.Event> racks = stream.events("burnin");
                return !racks.get(racks.size() - 1).data().contains(run);
            });
            assertThat(JSON.readTree(given().queryParam("product", product).get("/api/live/snapshot").asString())
                    .path("alarms").findValuesAsText("eventId")).doesNotContain(alarm.getEventId());
        }
    }

    private BurnInStatus rackStatus(String run, double driftDb, double slope, double hoursToLimit) {
        BurnInChannelStatus flat = BurnInChannelStatus.newBuilder().setChannel(1).setReadings(400).setBaselinePowerDbm(3.0).setPowerDriftDb(0.01)
                .setPowerSlopeDbPerHour(0.0).setPowerDriftLowerLimitDb(-0.5).setPowerDriftUpperLimitDb(0.5).setBiasDriftPct(0.2)
                .setMaxDropDb(0.0).build();
        BurnInChannelStatus drifting = BurnInChannelStatus.newBuilder(flat).setChannel(2).setPowerDriftDb(driftDb).setPowerSlopeDbPerHour(slope)
                .setPowerHoursToLimit(hoursToLimit).build();
        return BurnInStatus.newBuilder().setRunId(run).setSerial("SN-" + product).setProduct(product).setLot("L-RACK").setStation("BI-01")
                .setSlot(4).setEventTime(Instant.now()).setHoursInRack(6.0).setLimitSetId(product + "/BURNIN").setLimitSetVersion(1)
                .setChannels(List.of(flat, drifting)).build();
    }

    @Test
    void anUndecodableRecordIsSkippedAndCounted() throws Exception {
        // given
        double before = undecodableYieldRecords();
        assertThat(before).as("cpo_dashboard_records_undecodable_total of the yield topic, exposed from the start").isGreaterThanOrEqualTo(0);

        // when a record that is no YieldFigures lands on the yield topic
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.YIELD.name(), "garbage-" + product, new byte[] {1, 2, 3})).get(30, TimeUnit.SECONDS);
        }

        // then it is counted in cpo_dashboard_records_undecodable_total, and the feed reads on
        await().atMost(PUSH_DEADLINE).until(() -> undecodableYieldRecords() > before);
        events.send(Topics.YIELD.name(), "y1", yieldFigures(1, 10, 7, 9));
        await().atMost(PUSH_DEADLINE).until(() -> JSON.readTree(given().queryParam("product", product).get("/api/live/snapshot").asString())
                .path("yield").size() == 1);
    }

    private static double undecodableYieldRecords() {
        return given().get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("cpo_dashboard_records_undecodable_total{") && l.contains("topic=\"" + Topics.YIELD.name() + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void aFilterThatIsNoNameIsABadRequestWithAProblem() {
        // when
        Response response = given().queryParam("product", "CPO OE16;drop").get("/api/live");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("parameter")).isEqualTo("product");
        assertThat(response.jsonPath().getString("detail")).contains("CPO OE16;drop");
    }

    @Test
    void theDashboardPageAndItsChartLibraryAreServedByTheService() {
        // when
        String page = given().get("/dashboard.html").then().statusCode(200).extract().asString();

        // then the page loads ECharts from the service itself, never from elsewhere: 5.6.0, the npm registry's package
        assertThat(page).contains("src=\"vendor/echarts/echarts.min.js\"").doesNotContain("http://", "https://");
        assertThat(given().get("/vendor/echarts/echarts.min.js").then().statusCode(200).extract().asString())
                .contains(".version=\"5.6.0\"");
        assertThat(given().get("/vendor/echarts/LICENSE").then().statusCode(200).extract().asString()).contains("Apache License");
        assertThat(given().get("/dashboard.js").statusCode()).isEqualTo(200);
        // and so do the workbench pages, with the script they share
        for (String other : java.util.List.of("/unit.html", "/lot.html", "/reports.html", "/limits.html")) {
            assertThat(given().get(other).then().statusCode(200).extract().asString()).as(other).contains("src=\"page.js\"")
                    .doesNotContain("http://", "https://");
        }
    }

    private YieldFigures yieldFigures(long revision, int units, int firstPass, int finalPass) {
        return YieldFigures.newBuilder().setEventId("yield-" + product + "-" + revision).setEventTime(Instant.now())
                .setKey(product + "|ALIGN|LOT|LOT-A").setRevision(revision).setDimension(YieldDimension.LOT).setProduct(product)
                .setOperation(Operation.ALIGN).setGroup("LOT-A").setWindowStart(null).setWindowEnd(null).setUnits(units)
                .setFirstPassUnits(firstPass).setFinalPassUnits(finalPass).setRuns(units + 2).setPassedRuns(finalPass + 1)
                .setIncompleteRuns(0).setFirstPassYield(firstPass / (double) units).setFinalYield(finalPass / (double) units)
                .setTestYield((finalPass + 1) / (double) (units + 2)).setRetestRate(2 / (double) units).build();
    }

    private CouplingLossStatistics statistics(int channel, long n, double mean, double sigma, double cpk) {
        return CouplingLossStatistics.newBuilder().setEventId("stats-" + product).setEventTime(Instant.now())
                .setKey(product + "|LOT-A|" + channel).setRevision(1).setScope(StatisticsScope.PRODUCT_LOT).setProduct(product)
                .setStation(null).setLot("LOT-A").setChannel(channel).setStep(AlignmentStep.POST_THERMAL).setWindowStart(null)
                .setWindowEnd(null).setN(n).setMeanDb(mean).setStdDevDb(sigma).setMinDb(0.8).setMaxDb(1.9).setP1Db(0.85)
                .setP50Db(mean).setP90Db(1.5).setP99Db(1.8).setHistogramLowerEdgeDb(0.0).setHistogramBinWidthDb(0.1)
                .setHistogramCounts(Collections.nCopies(50, 0L)).setHistogramUnderflow(0).setHistogramOverflow(0)
                .setLowerLimitDb(null).setUpperLimitDb(2.0).setCp(null).setCpk(cpk).setSummary(ByteBuffer.allocate(0)).build();
    }
}
