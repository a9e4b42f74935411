package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.cpo.events.Limit;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;
import com.cpo.schemas.EventDeserializer;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/** Limits management through the REST API, against the real database and broker. */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class LimitSetsIT {

    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig()
            .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);

    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void releasedVersionIsPublishedToTheCompactedTopicWithWhoWhenAndWhy() {
        // given
        String product = TestVerdicts.uniqueSerial("P");
        draft(product, List.of(limit("coupling_loss", null, null, 2.0), limit("coupling_loss", 5, null, 1.8)));

        // when
        // by a second person: the draft's author may not release it
        Response released = Sessions.as("it-quality").spec().contentType(ContentType.JSON)
                .body(Map.of("reason", "ECO-118: tighter channel 5", "effectiveFrom", "2026-03-01T00:00:00Z",
                        "backdatingReason", "the qualification lot of March is judged by these"))
                .post("/api/limit-sets/{product}/ALIGN/versions/1/release", product);

        // then
        assertThat(released.statusCode()).isEqualTo(200);
        JsonPath set = released.jsonPath();
        assertThat(set.getString("status")).isEqualTo("RELEASED");
        assertThat(set.getString("releasedBy")).isEqualTo("it-quality");
        assertThat(set.getString("releaseReason")).isEqualTo("ECO-118: tighter channel 5");
        assertThat(set.getString("releasedAt")).isNotBlank();
        assertThat(set.getList("audit.action", String.class)).containsExactly("DRAFTED", "RELEASED");
        assertThat(set.getList("audit.actor", String.class)).containsExactly(Sessions.EVERY_ROLE, "it-quality");
        assertThat(set.getString("audit[1].backdatingReason")).isEqualTo("the qualification lot of March is judged by these");
        assertThat(set.getString("audit[1].effectiveFrom")).isEqualTo("2026-03-01T00:00:00Z");

        LimitSet published = awaitPublished(product + "/ALIGN@1");
        assertThat(published.getLimitSetId()).isEqualTo(product + "/ALIGN");
        assertThat(published.getVersion()).isEqualTo(1);
        assertThat(published.getOperation()).isEqualTo(Operation.ALIGN);
        assertThat(published.getEffectiveFrom()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(published.getReleasedBy()).isEqualTo("it-quality");
        assertThat(published.getLimits()).extracting(Limit::getChannel).containsExactly(null, 5);
        assertThat(published.getLimits()).extracting(Limit::getUpperLimit).containsExactly(2.0, 1.8);
    }

    @Test
    void releasedVersionCannotChangeThroughTheApiNorInTheDatabase() throws SQLException {
        // given
        String product = TestVerdicts.uniqueSerial("P");
        draft(product, List.of(limit("coupling_loss", null, null, 2.0)));
        release(product, 1);

        // when
        Response revise = given().contentType(ContentType.JSON)
                .body(Map.of("reason", "oops", "limits", List.of(limit("coupling_loss", null, null, 9.0))))
                .put("/api/limit-sets/{product}/ALIGN/versions/1", product);
        Response discard = given().delete("/api/limit-sets/{product}/ALIGN/versions/1", product);

        // then
        assertThat(revise.statusCode()).isEqualTo(409);
        assertThat(revise.contentType()).startsWith("application/problem+json");
        assertThat(revise.jsonPath().getString("detail")).contains("released");
        assertThat(discard.statusCode()).isEqualTo(409);
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE limits SET upper_limit = 9 WHERE limit_set_pk = "
                    + "(SELECT id FROM limit_sets WHERE limit_set_id = '" + product + "/ALIGN')"))
                    .hasMessageContaining("released");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM limit_sets WHERE limit_set_id = '" + product + "/ALIGN'"))
                    .hasMessageContaining("released");
        }
        assertThat(given().get("/api/limit-sets/{product}/ALIGN/versions/1", product).jsonPath(DOUBLES)
                .getDouble("limits[0].upperLimit")).isEqualTo(2.0);
    }

    @Test
    void nextDraftTakesTheNextVersionAndOnlyOneDraftMayExist() {
        // given
        String product = TestVerdicts.uniqueSerial("P");
        draft(product, List.of(limit("coupling_loss", null, null, 2.0)));
        release(product, 1);
        draft(product, List.of(limit("coupling_loss", null, null, 1.9)));

        // when
        Response second = given().contentType(ContentType.JSON)
                .body(Map.of("reason", "again", "limits", List.of(limit("pdl", null, null, 0.5))))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product);
        Response list = given().queryParam("product", product).queryParam("size", 1).get("/api/limit-sets");

        // then
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(list.header("X-Total-Count")).isEqualTo("2");
        assertThat(list.jsonPath().getList("version", Integer.class)).containsExactly(1);
        assertThat(list.header("Link")).contains("rel=\"next\"").contains("page=1");
    }

    @Test
    void sheetWithErrorsIsRefusedWholeWithEveryErrorByRowAndColumn() throws IOException {
        // given
        String product = TestVerdicts.uniqueSerial("P");
        byte[] sheet = sheet(List.of(
                new Object[] {"coupling_loss", null, null, 2.0, "dB", "every channel"},
                new Object[] {"cure_shift", null, null, "abc", "dB", null},
                new Object[] {"pdl", "x", null, 0.5, "", null},
                new Object[] {"channel_spread", null, 1.5, 1.0, "dB", null},
                new Object[] {"power_drift", null, null, null, "dB", null}));

        // when
        Response response = given().contentType(XLSX).body(sheet)
                .queryParam("reason", "from the team's sheet")
                .post("/api/limit-sets/{product}/ALIGN/drafts", product);

        // then
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getList("errors.message", String.class)).containsExactly(
                "row 3, column 'Upper limit': 'abc' is not a number",
                "row 4, column 'Channel (blank = all)': 'x' is not a number",
                "row 4, column 'Unit': is empty",
                "row 5, column 'Lower limit': 1.5 is above the upper limit 1.0",
                "row 6, column 'Upper limit': a limit needs a lower limit, an upper limit or both");
        assertThat(response.jsonPath().getList("errors.row", Integer.class)).containsExactly(3, 4, 4, 5, 6);
        assertThat(given().queryParam("product", product).get("/api/limit-sets").header("X-Total-Count")).isEqualTo("0");
    }

    @Test
    void exportedSheetHoldsTheLimitsAndImportsBackUnchanged() throws IOException {
        // given
        String product = TestVerdicts.uniqueSerial("P");
        byte[] original = sheet(List.of(
                new Object[] {"sudden_drop", null, null, 2.0, "dB", "=looks like a formula"},
                new Object[] {"sudden_drop", 3.0, null, 1.7, "dB", "channel 3 laser is older"},
                new Object[] {"power_drift", null, -0.5, 0.5, "dB", null}));
        Response imported = given().contentType(XLSX).body(original)
                .queryParam("reason", "initial limits")
                .post("/api/limit-sets/{product}/BURNIN/drafts", product);
        assertThat(imported.statusCode()).isEqualTo(201);
        assertThat(imported.header("Location")).endsWith("/api/limit-sets/" + product + "/BURNIN/versions/1");

        // when
        byte[] exported = given().get("/api/limit-sets/{product}/BURNIN/versions/1/limits.xlsx", product)
                .then().statusCode(200).contentType(XLSX).extract().asByteArray();

        // then
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(exported))) {
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(workbook.getNumberOfSheets()).isEqualTo(1);
            assertThat(sheet.getRow(0).getCell(1).getStringCellValue()).isEqualTo("Channel (blank = all)");
            assertThat(sheet.getRow(1).getCell(1)).isNull();
            assertThat(sheet.getRow(1).getCell(5).getStringCellValue()).isEqualTo("=looks like a formula");
            assertThat(sheet.getRow(2).getCell(1).getNumericCellValue()).isEqualTo(3);
            assertThat(sheet.getRow(3).getCell(2).getNumericCellValue()).isEqualTo(-0.5);
        }
        given().delete("/api/limit-sets/{product}/BURNIN/versions/1", product).then().statusCode(204);
        Response reimported = given().contentType(XLSX).body(exported)
                .queryParam("reason", "round trip")
                .post("/api/limit-sets/{product}/BURNIN/drafts", product);
        assertThat(reimported.statusCode()).isEqualTo(201);
        assertThat(reimported.jsonPath(DOUBLES).getList("limits")).isEqualTo(imported.jsonPath(DOUBLES).getList("limits"));
    }

    @Test
    void limitsWithoutABoundAreRefusedNamingTheField() {
        // given
        String product = TestVerdicts.uniqueSerial("P");

        // when
        Response noBound = given().contentType(ContentType.JSON)
                .body(Map.of("reason", "r", "limits", List.of(limit("pdl", null, null, null))))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product);
        Response noUnit = given().contentType(ContentType.JSON)
                .body(Map.of("reason", "r", "limits", List.of(limit("pdl", null, null, 0.5),
                        Map.of("parameter", "cure_shift", "upperLimit", 0.3, "unitOfMeasure", " "))))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product);

        // then
        assertThat(noBound.statusCode()).isEqualTo(422);
        assertThat(noBound.jsonPath().getString("parameter")).isEqualTo("limits[0].upperLimit");
        assertThat(noUnit.statusCode()).isEqualTo(400);
        assertThat(noUnit.contentType()).startsWith("application/problem+json");
        assertThat(noUnit.jsonPath().getString("parameter")).isEqualTo("limits[1].unitOfMeasure");
    }

    @Test
    void aDraftIsCheckedAgainstTheParameterCatalogueListingEveryProblem() {
        // given a draft for CPO-OE16 (16 channels) with an unknown parameter, a channel it does not have, a wrong unit
        List<Map<String, Object>> limits = List.of(limit("coupling_los", null, null, 2.0), limit("coupling_loss", 17, null, 2.0),
                Map.of("parameter", "bias_drift", "upperLimit", 5.0, "unitOfMeasure", "dB"));

        // when
        Response refused = given().contentType(ContentType.JSON)
                .body(Map.of("reason", "r", "limits", limits))
                .post("/api/limit-sets/{product}/ALIGN/drafts", "CPO-OE16");

        // then every problem is listed at its limit and field
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.jsonPath().getList("errors.parameter", String.class)).containsExactly("limits[0].parameter", "limits[1].channel",
                "limits[2].parameter", "limits[2].unitOfMeasure");
        assertThat(refused.jsonPath().getString("errors[1].message")).isEqualTo("channel 17 is outside 1..16 (the product has 16 channels)");
    }

    @Test
    void releaseByAnotherPublisherIsMirrored() {
        // given
        String product = TestVerdicts.uniqueSerial("P");
        LimitSet seed = LimitSet.newBuilder().setLimitSetId(product + "/ALIGN").setVersion(1).setProduct(product)
                .setOperation(Operation.ALIGN).setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z"))
                .setReleasedBy("seed").setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setChannel(null)
                        .setLowerLimit(null).setUpperLimit(2.0).setUnitOfMeasure("dB").setDescription(null).build()))
                .build();

        // when
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            producer.send(Topics.LIMITS.name(), product + "/ALIGN@1", seed);
        }

        // then
        JsonPath inForce = await().atMost(Duration.ofSeconds(60)).until(() -> {
            Response r = given().get("/api/limit-sets/{product}/ALIGN/in-force", product);
            return r.statusCode() == 200 ? r.jsonPath(DOUBLES) : null;
        }, json -> json != null);
        assertThat(inForce.getString("status")).isEqualTo("RELEASED");
        assertThat(inForce.getString("releasedBy")).isEqualTo("seed");
        assertThat(inForce.getDouble("limits[0].upperLimit")).isEqualTo(2.0);
        assertThat(inForce.getList("audit.action", String.class)).containsExactly("MIRRORED");
    }

    @Test
    void anInvalidReleaseFromTheTopicIsNotMirroredButTheNextValidOneIs() {
        // given a release with lower above upper, then a valid one of another product, in this order on one partition
        String product = TestVerdicts.uniqueSerial("P");
        String other = TestVerdicts.uniqueSerial("P");
        LimitSet invalid = LimitSet.newBuilder().setLimitSetId(product + "/ALIGN").setVersion(1).setProduct(product)
                .setOperation(Operation.ALIGN).setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z")).setReleasedBy("forger")
                .setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setChannel(null).setLowerLimit(3.0).setUpperLimit(1.0)
                        .setUnitOfMeasure("dB").setDescription(null).build()))
                .build();
        LimitSet valid = LimitSet.newBuilder(invalid).setLimitSetId(other + "/ALIGN").setProduct(other).setReleasedBy("seed")
                .setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setChannel(null).setLowerLimit(null).setUpperLimit(2.0)
                        .setUnitOfMeasure("dB").setDescription(null).build()))
                .build();

        // when
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            producer.send(Topics.LIMITS.name(), product + "/ALIGN@1", invalid);
            producer.send(Topics.LIMITS.name(), other + "/ALIGN@1", valid);
        }

        // then the valid one is mirrored, and by then the invalid one was read and refused
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/limit-sets/{product}/ALIGN/in-force", other).statusCode() == 200);
        given().get("/api/limit-sets/{product}/ALIGN/in-force", product).then().statusCode(404);
    }

    static void draft(String product, List<Map<String, Object>> limits) {
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "first limits", "limits", limits))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product)
                .then().statusCode(201);
    }

    static void release(String product, int version) {
        Sessions.as("it-quality").spec().contentType(ContentType.JSON)
                .body(Map.of("reason", "qualified", "effectiveFrom", "2020-01-01T00:00:00Z", "backdatingReason", "test history from 2020"))
                .post("/api/limit-sets/{product}/ALIGN/versions/{version}/release", product, version)
                .then().statusCode(200);
    }

    static Map<String, Object> limit(String parameter, Integer channel, Double lower, Double upper) {
        Map<String, Object> limit = new HashMap<>();
        limit.put("parameter", parameter);
        limit.put("channel", channel);
        limit.put("lowerLimit", lower);
        limit.put("upperLimit", upper);
        limit.put("unitOfMeasure", "dB");
        limit.put("description", parameter + " limit");
        return limit;
    }

    /** A limit sheet as an engineer would type it: numbers as numbers, anything else as text. */
    private static byte[] sheet(List<Object[]> rows) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = workbook.createSheet("Limits");
            String[] headers = {"Parameter", "Channel (blank = all)", "Lower limit", "Upper limit", "Unit", "Description"};
            Row header = sheet.createRow(0);
            for (int c = 0; c < headers.length; c++) {
                header.createCell(c).setCellValue(headers[c]);
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r + 1);
                Object[] values = rows.get(r);
                for (int c = 0; c < values.length; c++) {
                    if (values[c] instanceof Number n) {
                        row.createCell(c).setCellValue(n.doubleValue());
                    } else if (values[c] != null) {
                        row.createCell(c).setCellValue((String) values[c]);
                    }
                }
            }
            workbook.write(out);
            return out.toByteArray();
        }
    }

    private LimitSet awaitPublished(String key) {
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "limits-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new EventDeserializer())) {
            consumer.subscribe(List.of(Topics.LIMITS.name()));
            List<ConsumerRecord<String, SpecificRecord>> seen = new ArrayList<>();
            return await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().filter(r -> key.equals(r.key())).map(r -> (LimitSet) r.value()).findFirst().orElse(null);
            }, set -> set != null);
        }
    }
}
