package com.cpo.platform;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/**
 * What the workbench pages read: a unit's burn-in drift curves from its stored readings, a lot's units by outcome and its
 * failure Pareto, the search box, and the plant's zone. Values are checked against figures computed by hand here.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class WorkbenchApiIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);
    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void aUnitsBurnInIsStoredReadingByReadingAndDrawnAsDriftFromItsBaselineWithTheLimitsThatBind() throws SQLException {
        // given burn-in limits for the product: power drift ≥ -0.5 dB, bias drift ≤ 10 %
        String product = TestVerdicts.uniqueSerial("PW");
        String serial = TestVerdicts.uniqueSerial("SN");
        given().contentType(ContentType.JSON).body(Map.of("reason", "burn-in limits", "limits",
                List.of(limit("power_drift", -0.5, null, "dB"), limit("bias_drift", null, 10.0, "%"))))
                .post("/api/limit-sets/{product}/BURNIN/drafts", product).then().statusCode(201);
        Sessions.as("it-quality").spec().contentType(ContentType.JSON)
                .body(Map.of("reason", "qualified", "effectiveFrom", "2020-01-01T00:00:00Z", "backdatingReason", "test history"))
                .post("/api/limit-sets/{product}/BURNIN/versions/1/release", product).then().statusCode(200);
        // and 3 h of readings every 5 min on channel 1: 3.0 dBm for the first hour, then falling 0.1 dB an hour; bias 40 mA
        // rising 1 mA an hour; channel 2 steady at 2.5 dBm. Each reading sent twice, the second copy under another event id.
        Instant t0 = Instant.parse("2026-05-04T08:00:00Z");
        List<double[]> channel1 = new ArrayList<>();
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            producer.send(Topics.STATION_EVENTS.name(), serial, started(serial, product, "LOT-W", "BI-RACK-9", Operation.BURNIN, 1, t0, 2));
            for (int i = 0; i < 36; i++) {
                double hours = i / 12.0;
                double power = hours < 1 ? 3.0 : 3.0 - 0.1 * (hours - 1);
                double bias = 40.0 + hours;
                channel1.add(new double[] {hours, power, bias});
                Instant at = t0.plusSeconds(300L * i);
                producer.send(Topics.STATION_EVENTS.name(), serial, reading(serial, "BI-RACK-9", 1, at, power, bias));
                var copy = reading(serial, "BI-RACK-9", 1, at, power, bias);
                copy.setEventId(copy.getEventId() + ":again");
                producer.send(Topics.STATION_EVENTS.name(), serial, copy);
                producer.send(Topics.STATION_EVENTS.name(), serial, reading(serial, "BI-RACK-9", 2, at, 2.5, 38.0));
            }
        }

        // then every reading is stored once
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM burnin_readings WHERE serial = ?", serial) == 72);
        JsonPath curves = given().get("/api/units/{serial}/burn-in", serial).then().statusCode(200).extract().jsonPath(DOUBLES);
        assertThat(curves.getList("")).hasSize(1);
        assertThat(curves.getString("[0].outcome")).isNull(); // in progress
        assertThat(curves.getDouble("[0].limitSetVersion")).isEqualTo(1.0);
        assertThat(curves.getList("[0].channels.channel")).containsExactly(1, 2);
        // and channel 1's curve is each reading's power minus the mean of the first hour (12 readings of 3.0 dBm)
        assertThat(curves.getDouble("[0].channels[0].readings")).isEqualTo(36.0);
        assertThat(curves.getDouble("[0].channels[0].readingsPerPoint")).isEqualTo(1.0);
        assertThat(curves.getDouble("[0].channels[0].baselinePowerDbm")).isCloseTo(3.0, within(1e-9));
        List<Double> drift = curves.getList("[0].channels[0].powerDriftDb");
        List<Double> bias = curves.getList("[0].channels[0].biasDriftPct");
        double baseBias = channel1.subList(0, 12).stream().mapToDouble(r -> r[2]).average().orElseThrow();
        for (int i = 0; i < 36; i++) {
            assertThat(drift.get(i)).as("reading %d", i).isCloseTo(channel1.get(i)[1] - 3.0, within(1e-9));
            assertThat(bias.get(i)).as("reading %d", i).isCloseTo(100 * (channel1.get(i)[2] - baseBias) / baseBias, within(1e-9));
        }
        // judged: the mean of the final hour's readings (the latest and those at most 1 h before it: 23..35) minus the baseline
        double finalMean = channel1.subList(23, 36).stream().mapToDouble(r -> r[1]).average().orElseThrow();
        assertThat(curves.getDouble("[0].channels[0].judgedPowerDriftDb")).isCloseTo(finalMean - 3.0, within(1e-9));
        assertThat(curves.getDouble("[0].channels[0].powerDriftLowerDb")).isEqualTo(-0.5);
        assertThat(curves.getDouble("[0].channels[0].biasDriftUpperPct")).isEqualTo(10.0);
        assertThat(curves.getDouble("[0].channels[1].judgedPowerDriftDb")).isCloseTo(0.0, within(1e-9));

        // when at most 10 points are asked for, 4 consecutive readings are averaged into each
        JsonPath coarse = given().queryParam("maxPoints", 10).get("/api/units/{serial}/burn-in", serial).then().statusCode(200)
                .extract().jsonPath(DOUBLES);
        assertThat(coarse.getDouble("[0].channels[0].readingsPerPoint")).isEqualTo(4.0);
        List<Double> coarseDrift = coarse.getList("[0].channels[0].powerDriftDb");
        assertThat(coarseDrift).hasSize(9);
        double lastFour = channel1.subList(32, 36).stream().mapToDouble(r -> r[1] - 3.0).average().orElseThrow();
        assertThat(coarseDrift.get(8)).isCloseTo(lastFour, within(1e-9));
        given().get("/api/units/{serial}/burn-in", "NO-SUCH-UNIT").then().statusCode(404);
    }

    @Test
    void aLotListsItsUnitsByOutcomeAndItsFailuresMostFrequentFirst() {
        // given a lot of 4 units: A passes, B fails then passes, C fails twice (two checks the first time), D is incomplete
        String product = TestVerdicts.uniqueSerial("PL");
        String lot = TestVerdicts.uniqueSerial("LOT");
        String a = lot + "-A", b = lot + "-B", c = lot + "-C", d = lot + "-D";
        Instant t = Instant.parse("2026-05-05T08:00:00Z");
        try (VerdictProducer producer = new VerdictProducer(bootstrapServers, Topics.VERDICTS.name())) {
            producer.send(TestVerdicts.verdict(a, product, lot, "ALN-01", Operation.ALIGN, 1, Outcome.PASS, t, 1, null, List.of()));
            producer.send(TestVerdicts.verdict(b, product, lot, "ALN-01", Operation.ALIGN, 1, Outcome.FAIL, t.plusSeconds(60), 1, null,
                    List.of(TestVerdicts.couplingLoss(3, 2.4))));
            producer.send(TestVerdicts.verdict(b, product, lot, "ALN-01", Operation.ALIGN, 2, Outcome.PASS, t.plusSeconds(600), 1, null, List.of()));
            producer.send(TestVerdicts.verdict(c, product, lot, "ALN-01", Operation.ALIGN, 1, Outcome.FAIL, t.plusSeconds(120), 1, null,
                    List.of(TestVerdicts.couplingLoss(1, 2.2), TestVerdicts.couplingLoss(2, 2.3))));
            producer.send(TestVerdicts.verdict(c, product, lot, "ALN-01", Operation.ALIGN, 2, Outcome.FAIL, t.plusSeconds(900), 1, null,
                    List.of(TestVerdicts.couplingLoss(1, 2.1))));
            producer.send(TestVerdicts.verdict(d, product, lot, "ALN-01", Operation.ALIGN, 1, Outcome.INCOMPLETE, t.plusSeconds(180), null,
                    "no POST_THERMAL result", List.of()));
        }
        await().atMost(TIMEOUT).until(() -> given().get("/api/lots/{product}/{lot}/units", product, lot).then().extract()
                .header("X-Total-Count"), n -> "4".equals(n));

        // then each filter names its units
        assertThat(serials(product, lot, "ALL", "SERIAL")).containsExactly(a, b, c, d);
        assertThat(serials(product, lot, "FAILED", "SERIAL")).containsExactly(c, d);
        assertThat(serials(product, lot, "PASSED", "SERIAL")).containsExactly(a, b);
        assertThat(serials(product, lot, "RETESTED", "SERIAL")).containsExactly(b);
        assertThat(serials(product, lot, "all", "LAST_TESTED")).containsExactly(c, b, d, a);
        JsonPath units = given().queryParam("outcome", "ALL").get("/api/lots/{product}/{lot}/units", product, lot).jsonPath();
        assertThat(units.getList("findAll { it.serial == '" + b + "' }.alignFirstPassed")).containsExactly(false);
        assertThat(units.getList("findAll { it.serial == '" + b + "' }.alignFinalPassed")).containsExactly(true);
        assertThat(units.getList("findAll { it.serial == '" + c + "' }.alignRuns")).containsExactly(2);
        assertThat(units.getList("findAll { it.serial == '" + a + "' }.burnInFinalPassed")).containsExactly((Object) null);
        // and the Pareto counts runs, units and channels of each check: coupling loss POST_THERMAL failed 3 runs of 2 units
        // on 3 channels; one run was incomplete
        JsonPath pareto = given().get("/api/lots/{product}/{lot}/failures", product, lot).then().statusCode(200).extract().jsonPath();
        assertThat(pareto.getList("parameter")).containsExactly("coupling_loss", "incomplete");
        assertThat(pareto.getList("runs")).containsExactly(3, 1);
        assertThat(pareto.getList("units")).containsExactly(2, 1);
        assertThat(pareto.getList("channels")).containsExactly(3, 0);
        assertThat(pareto.getList("step")).containsExactly("POST_THERMAL", null);

        // and a bad request says what is wrong, an unknown lot that it is unknown
        JsonPath bad = given().queryParam("outcome", "BROKEN").get("/api/lots/{product}/{lot}/units", product, lot).then()
                .statusCode(400).contentType("application/problem+json").extract().jsonPath();
        assertThat(bad.getString("parameter")).isEqualTo("outcome");
        assertThat(bad.getString("detail")).contains("BROKEN", "FAILED");
        assertThat(given().get("/api/lots/{product}/{lot}/failures", product, "NO-SUCH-LOT").then().statusCode(404)
                .extract().jsonPath().getString("detail")).contains("NO-SUCH-LOT", product);

        // and the search box finds the unit and the lot by the start of their names, in any case, exact matches first
        JsonPath hits = given().queryParam("q", lot.toLowerCase()).get("/api/search").then().statusCode(200).extract().jsonPath();
        assertThat(hits.getList("findAll { it.kind == 'unit' }.serial")).containsExactly(a, b, c, d);
        assertThat(hits.getList("findAll { it.kind == 'lot' }.lot")).containsExactly(lot);
        assertThat(given().queryParam("q", c).get("/api/search").jsonPath().getList("serial")).startsWith(c);
        assertThat(given().queryParam("q", "%").get("/api/search").jsonPath().getList("")).isEmpty();
    }

    @Test
    void aDraftIsComparedWithTheVersionInForceChannelByChannelByTheLimitThatBindsEach() {
        // given v1 in force: coupling loss ≤ 2.0 dB on every channel, ≤ 1.5 dB on channel 2; and a draft v2: ≤ 1.8 dB on every
        // channel, ≤ 2.2 dB on channel 3 (a product outside the catalogue: its channels are those its limits name, 3)
        String product = TestVerdicts.uniqueSerial("PC");
        LimitSetsIT.draft(product, List.of(LimitSetsIT.limit("coupling_loss", null, null, 2.0), LimitSetsIT.limit("coupling_loss", 2, null, 1.5)));
        LimitSetsIT.release(product, 1);
        LimitSetsIT.draft(product, List.of(LimitSetsIT.limit("coupling_loss", null, null, 1.8), LimitSetsIT.limit("coupling_loss", 3, null, 2.2)));

        JsonPath c = given().get("/api/limit-sets/{product}/ALIGN/versions/2/compare", product).then().statusCode(200).extract()
                .jsonPath(DOUBLES);
        assertThat(c.getInt("base.version")).isEqualTo(1);
        assertThat(c.getString("candidate.status")).isEqualTo("DRAFT");
        assertThat(c.getInt("channels")).isEqualTo(3);
        assertThat(c.getList("rows.channel")).containsExactly(1, 2, 3);
        assertThat(c.getList("rows.baseUpper")).containsExactly(2.0, 1.5, 2.0);
        assertThat(c.getList("rows.candidateUpper")).containsExactly(1.8, 1.8, 2.2);
        assertThat(c.getList("rows.change")).containsExactly("TIGHTER", "LOOSER", "LOOSER");
        assertThat(c.getInt("changes.TIGHTER")).isEqualTo(1);
        assertThat(c.getInt("changes.LOOSER")).isEqualTo(2);
        // with itself: the same everywhere; an unknown version: 404
        assertThat(given().queryParam("with", 2).get("/api/limit-sets/{product}/ALIGN/versions/2/compare", product).jsonPath()
                .getList("rows.change")).containsOnly("SAME");
        given().get("/api/limit-sets/{product}/ALIGN/versions/9/compare", product).then().statusCode(404);
    }

    @Test
    void aUnitsGenealogyAndItsAlignmentScanAreKeptWithItsHistory() throws SQLException {
        // given a run whose tester reported the genealogy and a 3 × 3 scan of channels 1 and 2 at pre-cure, sent twice
        String product = TestVerdicts.uniqueSerial("PG");
        String serial = TestVerdicts.uniqueSerial("SN");
        Instant t0 = Instant.parse("2026-05-06T08:00:00Z");
        var started = TestStationEvents.started(serial, product, "LOT-G", "ALN-02", Operation.ALIGN, 1, t0, 2);
        started.setPicWafer("PW2611-07");
        started.setPicDie("X12Y07");
        started.setFiberArraySerial("FAU-104233");
        var preCure = TestStationEvents.alignment(serial, "ALN-02", 1, com.cpo.events.AlignmentStep.PRE_CURE, t0.plusSeconds(30), 1.1, 1.3);
        List<com.cpo.events.ScanPoint> scan = new ArrayList<>();
        for (int channel = 1; channel <= 2; channel++) {
            for (int i = 0; i < 9; i++) {
                double x = i / 3 - 1.0;
                double y = i % 3 - 1.0;
                scan.add(new com.cpo.events.ScanPoint(channel, x, y, -channel - 0.4 * (x * x + y * y)));
            }
        }
        preCure.setScan(scan);
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            for (int copy = 0; copy < 2; copy++) {
                producer.send(Topics.STATION_EVENTS.name(), serial, started);
                producer.send(Topics.STATION_EVENTS.name(), serial, preCure);
            }
        }

        // then the unit names its parts, and its scan is there point for point, once
        JsonPath unit = await().atMost(TIMEOUT).until(() -> {
            Response r = given().get("/api/units/{serial}", serial);
            return r.statusCode() == 200 ? r.jsonPath() : null;
        }, u -> u != null && u.getString("genealogy.picWafer") != null);
        assertThat(unit.getString("genealogy.picWafer")).isEqualTo("PW2611-07");
        assertThat(unit.getString("genealogy.picDie")).isEqualTo("X12Y07");
        assertThat(unit.getString("genealogy.fiberArraySerial")).isEqualTo("FAU-104233");
        JsonPath scans = await().atMost(TIMEOUT).until(() -> given().get("/api/units/{serial}/scans", serial).jsonPath(DOUBLES),
                s -> s.getList("").size() == 2);
        assertThat(scans.getList("channel")).containsExactly(1, 2);
        assertThat(scans.getList("step")).containsOnly("PRE_CURE");
        for (int channel = 1; channel <= 2; channel++) {
            final int c = channel;
            List<Double> power = scans.getList("[" + (c - 1) + "].powerDbm");
            List<Double> x = scans.getList("[" + (c - 1) + "].xUm");
            assertThat(power).containsExactlyElementsOf(scan.stream().filter(p -> p.getChannel() == c).map(p -> p.getPowerDbm()).toList());
            assertThat(x).containsExactlyElementsOf(scan.stream().filter(p -> p.getChannel() == c).map(p -> p.getXUm()).toList());
        }
        assertThat(count("SELECT count(*) FROM alignment_scans WHERE serial = ?", serial)).isEqualTo(2);
        // and a later report without genealogy keeps what was reported
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            producer.send(Topics.STATION_EVENTS.name(), serial, TestStationEvents.started(serial, product, "LOT-G", "ALN-02", Operation.ALIGN, 2,
                    t0.plusSeconds(600), 2));
        }
        await().atMost(TIMEOUT).until(() -> given().get("/api/units/{serial}", serial).jsonPath().getList("runsInProgress").size() == 2);
        assertThat(given().get("/api/units/{serial}", serial).jsonPath().getString("genealogy.picDie")).isEqualTo("X12Y07");
    }

    @Test
    void thePlantsZoneIsThereWithoutALogin() {
        Response plant = io.restassured.RestAssured.given().noFilters().get("/api/plant");
        assertThat(plant.statusCode()).isEqualTo(200);
        assertThat(plant.jsonPath().getString("zone")).isNotBlank();
        assertThat(plant.jsonPath().getList("shifts.name")).isNotEmpty();
        assertThat(io.restassured.RestAssured.given().noFilters().queryParam("q", "A").get("/api/search").statusCode()).isEqualTo(401);
    }

    private static List<String> serials(String product, String lot, String outcome, String order) {
        return given().queryParam("outcome", outcome).queryParam("order", order).get("/api/lots/{product}/{lot}/units", product, lot)
                .then().statusCode(200).extract().jsonPath().getList("serial");
    }

    private static Map<String, Object> limit(String parameter, Double lower, Double upper, String unit) {
        Map<String, Object> limit = new HashMap<>();
        limit.put("parameter", parameter);
        limit.put("channel", null);
        limit.put("lowerLimit", lower);
        limit.put("upperLimit", upper);
        limit.put("unitOfMeasure", unit);
        limit.put("description", parameter + " limit");
        return limit;
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
