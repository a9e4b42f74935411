package com.cpo.platform;

import static com.cpo.platform.TestStationEvents.alignment;
import static com.cpo.platform.TestStationEvents.completed;
import static com.cpo.platform.TestStationEvents.started;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentStep;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.RunCompleted;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * DPAT outliers from stored runs and verdicts, against robust limits computed by hand: per lot, per station window, off;
 * the flag on the unit, in the period's outliers and in the workbook.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class DpatIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);
    private static final Instant T = Instant.parse("2026-08-03T08:00:00Z");
    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void aPassingUnitFarFromItsLotIsFlaggedWithTheRobustLimitsThatApplied() throws Exception {
        // given a product with DPAT per lot, k = 3, at least 5 units, and a lot of 6 passing units at one station whose channel 1
        // ends at 1.0, 1.1, 1.2, 1.3, 1.4 and (X) 1.9 dB after cure: all under the 2.0 dB limit
        String product = TestVerdicts.uniqueSerial("PDPAT");
        settings(product, true, 3, 5, "LOT", 0).then().statusCode(200).body("defaults", org.hamcrest.Matchers.equalTo(false));
        String lot = TestVerdicts.uniqueSerial("LDP");
        double[] finals = {1.0, 1.1, 1.2, 1.3, 1.4, 1.9};
        try (EventProducer producer = new EventProducer(bootstrapServers);
                VerdictProducer verdicts = new VerdictProducer(bootstrapServers, Topics.VERDICTS.name())) {
            for (int i = 0; i < finals.length; i++) {
                String serial = lot + "-" + (i == 5 ? "X" : String.valueOf(i));
                Instant start = T.plusSeconds(600L * i);
                run(producer, product, lot, serial, start, finals[i]);
                verdicts.send(TestVerdicts.verdict(serial, product, lot, "AA-01", Operation.ALIGN, 1, Outcome.PASS, start, 1, null, List.of()));
            }
        }
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM verdicts WHERE limit_set_id = ?", product + "/ALIGN") == 6
                && count("SELECT count(*) FROM alignment_values a JOIN runs r ON r.run_id = a.run_id WHERE r.limit_set_id = ?", product + "/ALIGN") == 12);

        // then the lot's limits on channel 1: sorted 1.0 … 1.4, 1.9 (n 6): Q1 at rank 1.25 = 1.125, median at 2.5 = 1.25, Q3 at 3.75
        // = 1.375; robust σ 0.25 / 1.35 = 0.185185; 1.25 ± 3σ = [0.694444, 1.805556]: only X (1.9) is outside
        JsonPath screens = given().get("/api/dpat/lots/{product}/{lot}", product, lot).then().statusCode(200).extract().jsonPath(DOUBLES);
        assertThat(screens.getList("")).hasSize(6);
        assertThat(screens.getList("findAll { it.outlier }.serial")).containsExactly(lot + "-X");
        Map<String, Object> x = screens.getMap("find { it.serial == '" + lot + "-X' }.channels[0]");
        assertThat(num(x, "medianDb")).isCloseTo(1.25, within(1e-9));
        assertThat(num(x, "robustSigmaDb")).isCloseTo(0.25 / 1.35, within(1e-9));
        assertThat(num(x, "upperDb")).isCloseTo(1.25 + 3 * 0.25 / 1.35, within(1e-9));
        assertThat(num(x, "lowerDb")).isCloseTo(1.25 - 3 * 0.25 / 1.35, within(1e-9));
        assertThat(num(x, "population")).isEqualTo(6.0);
        assertThat(x.get("outside")).isEqualTo(true);
        // channel 2 (0.9 dB on every unit: robust σ 0) flags nobody
        assertThat(screens.getBoolean("find { it.serial == '" + lot + "-X' }.channels[1].outside")).isFalse();

        // and the flag is on the unit, among the period's outliers, and in the workbook with the limits that applied
        JsonPath unit = given().get("/api/units/{serial}", lot + "-X").then().statusCode(200).extract().jsonPath(DOUBLES);
        assertThat(unit.getBoolean("dpat[0].outlier")).isTrue();
        assertThat(unit.getString("dpat[0].basis")).isEqualTo("LOT");
        assertThat(given().get("/api/units/{serial}", lot + "-0").then().extract().jsonPath().getBoolean("dpat[0].outlier")).isFalse();
        JsonPath outliers = given().queryParam("product", product).queryParam("from", "2026-08-03T00:00:00Z").queryParam("to", "2026-08-04T00:00:00Z")
                .get("/api/dpat/outliers").then().statusCode(200).extract().jsonPath(DOUBLES);
        assertThat(outliers.getList("serial")).containsExactly(lot + "-X");
        byte[] workbook = given().queryParam("product", product).queryParam("from", "2026-08-03T00:00:00Z").queryParam("to", "2026-08-04T00:00:00Z")
                .get("/api/reports/yield.xlsx").then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(workbook))) {
            Sheet sheet = book.getSheet("DPAT outliers");
            assertThat(sheet.getLastRowNum()).isEqualTo(2);
            assertThat(sheet.getRow(2).getCell(0).getStringCellValue()).isEqualTo(lot + "-X");
            assertThat(sheet.getRow(2).getCell(4).getNumericCellValue()).isEqualTo(1.0);
            assertThat(sheet.getRow(2).getCell(9).getNumericCellValue()).isCloseTo(1.25 + 3 * 0.25 / 1.35, within(1e-9));
        }

        // when the product screens each run against the station's last 5 passing runs instead
        settings(product, true, 3, 5, "WINDOW", 5).then().statusCode(200);
        // then the first five have fewer than 5 before them (no limits); X against 1.0 … 1.4: median 1.2, Q1 1.1, Q3 1.3,
        // robust σ 0.148148, upper 1.2 + 3σ = 1.644444: outside
        JsonPath windowed = given().get("/api/dpat/lots/{product}/{lot}", product, lot).then().statusCode(200).extract().jsonPath(DOUBLES);
        assertThat(windowed.getList("findAll { it.outlier }.serial")).containsExactly(lot + "-X");
        assertThat(windowed.getList("find { it.serial == '" + lot + "-4' }.channels.upperDb")).containsOnlyNulls();
        Map<String, Object> xw = windowed.getMap("find { it.serial == '" + lot + "-X' }.channels[0]");
        assertThat(num(xw, "upperDb")).isCloseTo(1.2 + 3 * 0.2 / 1.35, within(1e-9));
        assertThat(num(xw, "population")).isEqualTo(5.0);

        // and off means nothing is screened
        settings(product, false, 3, 5, "LOT", 0).then().statusCode(200);
        assertThat(given().get("/api/dpat/lots/{product}/{lot}", product, lot).then().statusCode(200).extract().jsonPath().getList("")).isEmpty();
    }

    @Test
    void settingsOutOfRangeAreRefusedByNameAndOnlyQualityMaySetThem() {
        String product = TestVerdicts.uniqueSerial("PDPX");
        given().get("/api/dpat/settings/{product}", product).then().statusCode(200).body("defaults", org.hamcrest.Matchers.equalTo(true))
                .body("k", org.hamcrest.Matchers.equalTo(6.0f)).body("basis", org.hamcrest.Matchers.equalTo("LOT"));
        settings(product, true, 0, 30, "LOT", 0).then().statusCode(400).body("parameter", org.hamcrest.Matchers.equalTo("k"));
        settings(product, true, 6, 2, "LOT", 0).then().statusCode(400).body("parameter", org.hamcrest.Matchers.equalTo("minPopulation"));
        settings(product, true, 6, 30, "WINDOW", 10).then().statusCode(400).body("parameter", org.hamcrest.Matchers.equalTo("window"));
        settings(product, true, 6, 30, "SHIFT", 0).then().statusCode(400).body("parameter", org.hamcrest.Matchers.equalTo("basis"));
        Sessions.as("it-engineer").spec().contentType(ContentType.JSON).body(body(true, 6, 30, "LOT", 0))
                .put("/api/dpat/settings/{product}", product).then().statusCode(403);
        given().queryParam("from", "yesterday").get("/api/dpat/outliers").then().statusCode(400);
    }

    private static io.restassured.response.Response settings(String product, boolean enabled, double k, int min, String basis, int window) {
        return Sessions.as("it-quality").spec().contentType(ContentType.JSON).body(body(enabled, k, min, basis, window))
                .put("/api/dpat/settings/{product}", product);
    }

    private static Map<String, Object> body(boolean enabled, double k, int min, String basis, int window) {
        Map<String, Object> b = new HashMap<>();
        b.put("enabled", enabled);
        b.put("k", k);
        b.put("minPopulation", min);
        b.put("basis", basis);
        b.put("window", window);
        return b;
    }

    private static void run(EventProducer producer, String product, String lot, String serial, Instant start, double ch1) {
        String topic = Topics.STATION_EVENTS.name();
        producer.send(topic, serial, started(serial, product, lot, "AA-01", Operation.ALIGN, 1, start, 2));
        producer.send(topic, serial, alignment(serial, "AA-01", 1, AlignmentStep.POST_THERMAL, start.plusSeconds(60), ch1, 0.9));
        producer.send(topic, serial, RunCompleted.newBuilder(completed(serial, "AA-01", Operation.ALIGN, 1, start.plusSeconds(300)))
                .setMeasurementEvents(1).build());
    }

    private static double num(Map<String, Object> row, String key) {
        Object v = row.get(key);
        if (v == null) {
            throw new AssertionError(key + " is null in " + row);
        }
        return ((Number) v).doubleValue();
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
