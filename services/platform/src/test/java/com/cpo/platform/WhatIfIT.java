package com.cpo.platform;

import static com.cpo.platform.TestStationEvents.alignment;
import static com.cpo.platform.TestStationEvents.completed;
import static com.cpo.platform.TestStationEvents.started;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentStep;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/**
 * What-if limits over REST against runs stored from real events: a draft judged beside the version in force, figures and
 * flipped runs checked against values computed by hand (the same cases as the domain's WhatIfTest, through Kafka,
 * PostgreSQL and the job).
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class WhatIfIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);
    private static final Instant T = Instant.parse("2026-06-01T08:00:00Z");
    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void aDraftIsJudgedAgainstTheStoredRunsOfAPeriodBesideTheVersionInForce() throws Exception {
        // given v1 in force (coupling loss ≤ 2.0 dB) and a draft v2 (≤ 1.5 dB, channel 2 ≤ 1.0 dB) of a 2-channel product
        String product = TestVerdicts.uniqueSerial("PWI");
        given().contentType(ContentType.JSON).body(Map.of("reason", "v1", "limits", List.of(limit(null, 2.0))))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product).then().statusCode(201);
        Sessions.as("it-quality").spec().contentType(ContentType.JSON)
                .body(Map.of("reason", "qualified", "effectiveFrom", "2020-01-01T00:00:00Z", "backdatingReason", "test history"))
                .post("/api/limit-sets/{product}/ALIGN/versions/1/release", product).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("reason", "tighter", "limits", List.of(limit(null, 1.5), limit(2, 1.0))))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product).then().statusCode(201);
        // and stored runs: A passes both; B's channel 2 (1.2 dB) fails only the draft; C fails (2.5 dB) then passes at the rework
        // station; E has two of its three steps (INCOMPLETE with both); F is before the period; G at a station left out
        String lot = TestVerdicts.uniqueSerial("LWI");
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            run(producer, product, lot, lot + "-A", "AA-01", 1, T, 3, 1.2, 0.8);
            run(producer, product, lot, lot + "-B", "AA-01", 1, T.plusSeconds(60), 3, 1.2, 1.2);
            run(producer, product, lot, lot + "-C", "AA-01", 1, T.plusSeconds(120), 3, 2.5, 0.9);
            run(producer, product, lot, lot + "-C", "RW-01", 2, T.plusSeconds(7200), 3, 1.4, 0.9);
            run(producer, product, lot, lot + "-E", "AA-01", 1, T.plusSeconds(180), 2, 1.2, 1.2);
            run(producer, product, lot, lot + "-F", "AA-01", 1, T.minusSeconds(86_400), 3, 1.2, 1.2);
            run(producer, product, lot, lot + "-G", "AA-09", 1, T.plusSeconds(240), 3, 1.2, 1.2);
        }
        await().atMost(TIMEOUT).until(() -> storedRuns(product) == 7);

        // when a quality engineer asks what v2 would have done to the runs of that day at AA-01 and RW-01
        Map<String, Object> period = new HashMap<>(Map.of("from", "2026-06-01T00:00:00Z", "to", "2026-06-02T00:00:00Z",
                "stations", List.of("AA-01", "RW-01")));
        Response accepted = Sessions.as("it-quality").spec().contentType(ContentType.JSON).body(period)
                .post("/api/limit-sets/{product}/ALIGN/versions/2/what-if", product);
        accepted.then().statusCode(202);
        String location = accepted.header("Location");
        assertThat(location).contains("/api/limit-sets/what-if/");
        assertThat(accepted.jsonPath().getLong("runsTotal")).isEqualTo(5);
        JsonPath job = await().atMost(TIMEOUT).until(() -> given().get(location).then().statusCode(200).extract().jsonPath(DOUBLES),
                j -> "DONE".equals(j.getString("state")) || "FAILED".equals(j.getString("state")));
        assertThat(job.getString("state")).as(job.prettify()).isEqualTo("DONE");
        assertThat(job.getDouble("progress")).isEqualTo(1.0);
        assertThat(job.getDouble("runsJudged")).isEqualTo(5.0);

        // then 5 runs of 4 units were judged, and one flipped: B, pass → fail, by channel 2 against the draft's 1.0 dB
        assertThat(job.getDouble("result.runs")).isEqualTo(5.0);
        assertThat(job.getDouble("result.units")).isEqualTo(4.0);
        assertThat(job.getDouble("result.inForceVersion")).isEqualTo(1.0);
        assertThat(job.getDouble("result.flips")).isEqualTo(1.0);
        assertThat(job.getDouble("result.passToFail")).isEqualTo(1.0);
        assertThat(job.getString("result.flipsListed[0].serial")).isEqualTo(lot + "-B");
        assertThat(job.getString("result.flipsListed[0].inForce")).isEqualTo("PASS");
        assertThat(job.getString("result.flipsListed[0].draft")).isEqualTo("FAIL");
        assertThat(job.getString("result.flipsListed[0].checks")).isEqualTo("coupling_loss POST_THERMAL ch 2 = 1.200 dB > 1.0");
        // all stations, the unit: FPY 2/4 (A, B) with v1, 1/4 with v2; final yield 3/4 and 2/4
        Map<String, Object> unit = row(job, null, null);
        assertThat(num(unit, "units")).isEqualTo(4.0);
        assertThat(num(unit, "fpyInForce")).isCloseTo(0.5, within(1e-12));
        assertThat(num(unit, "fpyDraft")).isCloseTo(0.25, within(1e-12));
        assertThat(num(unit, "finalYieldInForce")).isCloseTo(0.75, within(1e-12));
        assertThat(num(unit, "finalYieldDraft")).isCloseTo(0.5, within(1e-12));
        // channel 2 after cure over the 4 complete runs: 0.8, 1.2, 0.9, 0.9 → mean 0.95, s 0.173205; Cpk (2.0 − 0.95)/3s and (1.0 − 0.95)/3s
        Map<String, Object> ch2 = row(job, null, 2);
        assertThat(num(ch2, "values")).isEqualTo(4.0);
        assertThat(num(ch2, "meanDb")).isCloseTo(0.95, within(1e-9));
        assertThat(num(ch2, "sigmaDb")).isCloseTo(0.173205, within(1e-6));
        assertThat(num(ch2, "uslInForceDb")).isEqualTo(2.0);
        assertThat(num(ch2, "uslDraftDb")).isEqualTo(1.0);
        assertThat(num(ch2, "cpkInForce")).isCloseTo(1.05 / (3 * 0.173205), within(1e-5));
        assertThat(num(ch2, "cpkDraft")).isCloseTo(0.05 / (3 * 0.173205), within(1e-5));
        assertThat(num(ch2, "fpyDraft")).isCloseTo(0.5, within(1e-12)); // B fails ch 2, E is incomplete
        // the rework station's own yield: C's retest alone
        Map<String, Object> rework = row(job, "RW-01", null);
        assertThat(num(rework, "units")).isEqualTo(1.0);
        assertThat(num(rework, "fpyDraft")).isEqualTo(1.0);
        assertThat(job.getList("result.rows.station")).doesNotContain("AA-09");

        // and the workbook has both sheets: the figures side by side and every flipped run
        byte[] file = given().get(location + "/workbook").then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(file))) {
            Sheet flips = workbook.getSheet("Flipped runs");
            assertThat(flips.getLastRowNum()).isEqualTo(1);
            Row b = flips.getRow(1);
            assertThat(b.getCell(0).getStringCellValue()).isEqualTo(lot + "-B");
            assertThat(b.getCell(6).getStringCellValue()).isEqualTo("coupling_loss POST_THERMAL ch 2 = 1.200 dB > 1.0");
            Sheet summary = workbook.getSheet("What-if");
            assertThat(summary.getRow(0).getCell(0).getStringCellValue()).contains("5 runs of 4 units", "1 flip");
            Row all = summary.getRow(2);
            assertThat(all.getCell(0).getStringCellValue()).isEqualTo("all stations");
            assertThat(all.getCell(3).getNumericCellValue()).isCloseTo(0.5, within(1e-12));
            assertThat(all.getCell(4).getNumericCellValue()).isCloseTo(0.25, within(1e-12));
        }
    }

    @Test
    void aWhatIfRefusesWhatItCannotJudge() {
        String product = TestVerdicts.uniqueSerial("PWX");
        given().contentType(ContentType.JSON).body(Map.of("reason", "v1", "limits", List.of(limit(null, 2.0))))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product).then().statusCode(201);
        Map<String, Object> period = Map.of("from", "2026-06-01T00:00:00Z", "to", "2026-06-02T00:00:00Z");
        // burn-in limits, a reversed period, a missing period, an unknown version, a viewer, an unknown job
        Sessions.as("it-engineer").spec().contentType(ContentType.JSON).body(period)
                .post("/api/limit-sets/{product}/BURNIN/versions/1/what-if", product).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("ALIGN"));
        Sessions.as("it-engineer").spec().contentType(ContentType.JSON).body(Map.of("from", "2026-06-02T00:00:00Z", "to", "2026-06-01T00:00:00Z"))
                .post("/api/limit-sets/{product}/ALIGN/versions/1/what-if", product).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("must be after"));
        Sessions.as("it-engineer").spec().contentType(ContentType.JSON).body(Map.of("from", "2026-06-02T00:00:00Z"))
                .post("/api/limit-sets/{product}/ALIGN/versions/1/what-if", product).then().statusCode(400);
        Sessions.as("it-engineer").spec().contentType(ContentType.JSON).body(period)
                .post("/api/limit-sets/{product}/ALIGN/versions/9/what-if", product).then().statusCode(404);
        Sessions.as("it-viewer").spec().contentType(ContentType.JSON).body(period)
                .post("/api/limit-sets/{product}/ALIGN/versions/1/what-if", product).then().statusCode(403);
        given().get("/api/limit-sets/what-if/{id}", "no-such-job").then().statusCode(404);
    }

    private static void run(EventProducer producer, String product, String lot, String serial, String station, int attempt, Instant start,
            int steps, double ch1, double ch2) {
        String topic = Topics.STATION_EVENTS.name();
        producer.send(topic, serial, started(serial, product, lot, station, Operation.ALIGN, attempt, start, 2));
        AlignmentStep[] order = {AlignmentStep.PRE_CURE, AlignmentStep.POST_UV, AlignmentStep.POST_THERMAL};
        for (int s = 0; s < steps; s++) {
            double[] losses = s == 2 ? new double[] {ch1, ch2} : new double[] {0.5, 0.5};
            producer.send(topic, serial, alignment(serial, station, attempt, order[s], start.plusSeconds(60L * (s + 1)), losses));
        }
        RunCompleted done = RunCompleted.newBuilder(completed(serial, station, Operation.ALIGN, attempt, start.plusSeconds(300)))
                .setMeasurementEvents(3).build();
        producer.send(topic, serial, done);
    }

    private static long storedRuns(String product) throws SQLException {
        try (var c = SharedInfrastructure.postgres().dataSource().getConnection();
                var s = c.prepareStatement("SELECT count(*) FROM runs WHERE limit_set_id = ? AND completed_at IS NOT NULL")) {
            s.setString(1, product + "/ALIGN");
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double num(Map<String, Object> row, String key) {
        Object v = row.get(key);
        if (v == null) {
            throw new AssertionError(key + " is null in " + row);
        }
        return ((Number) v).doubleValue();
    }

    private static Map<String, Object> row(JsonPath job, String station, Integer channel) {
        List<Map<String, Object>> rows = job.getList("result.rows");
        return rows.stream().filter(r -> java.util.Objects.equals(r.get("station"), station)
                && (channel == null ? r.get("channel") == null : r.get("channel") != null && ((Number) r.get("channel")).intValue() == channel))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + station + "/" + channel + " in " + rows));
    }

    private static Map<String, Object> limit(Integer channel, double upper) {
        Map<String, Object> l = new HashMap<>();
        l.put("parameter", "coupling_loss");
        l.put("channel", channel);
        l.put("upperLimit", upper);
        l.put("unitOfMeasure", "dB");
        return l;
    }
}
