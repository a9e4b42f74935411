package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Reports on a schedule: the next run on the plant's clock, a run's file kept for the days stated and listed with its
 * schedule, a due schedule run once by the service's own sweep, files deleted when their keep-until has passed.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class ReportSchedulesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void aScheduledReportRunsOnThePlantsClockAndItsFilesAreKeptForTheDaysStated() throws Exception {
        // a bad weekday is refused naming the field
        JsonPath bad = given().contentType(ContentType.JSON).body(schedule("weekly", "WEEKLY", "someday", "06:00", 3))
                .post("/api/reports/schedules").then().statusCode(400).extract().jsonPath();
        assertThat(bad.getString("parameter")).isEqualTo("dayOfWeek");
        assertThat(bad.getString("detail")).contains("someday");

        // when a daily report at 06:00 kept 3 days is scheduled
        String name = "daily-" + TestVerdicts.uniqueSerial("R");
        JsonPath made = given().contentType(ContentType.JSON).body(schedule(name, "DAILY", null, "06:00", 3))
                .post("/api/reports/schedules").then().statusCode(201).extract().jsonPath();
        long id = made.getLong("id");
        // then its first run is the next 06:00 of the plant's clock
        ZoneId zone = ZoneId.of(made.getString("zone"));
        ZonedDateTime now = ZonedDateTime.now(zone);
        ZonedDateTime six = now.toLocalDate().atTime(LocalTime.of(6, 0)).atZone(zone);
        Instant expected = (six.isAfter(now) ? six : now.toLocalDate().plusDays(1).atTime(LocalTime.of(6, 0)).atZone(zone)).toInstant();
        assertThat(Instant.parse(made.getString("nextRunAt"))).isEqualTo(expected);

        // when it is run now: a job whose file covers the day before and is kept 3 days
        String job = given().post("/api/reports/schedules/{id}/run", id).then().statusCode(202).extract().path("id");
        JsonPath done = await().atMost(TIMEOUT).until(() -> given().get("/api/reports/jobs/{id}", job).jsonPath(),
                j -> "DONE".equals(j.getString("state")));
        Instant to = Instant.parse(done.getString("periodTo"));
        assertThat(Instant.parse(done.getString("periodFrom"))).isEqualTo(to.atZone(zone).minusDays(1).toInstant());
        assertThat(Instant.parse(done.getString("keepUntil"))).isEqualTo(to.plus(Duration.ofDays(3)));
        assertThat(done.getString("fileName")).startsWith("yield-" + name).endsWith(".xlsx");
        byte[] file = given().get("/api/reports/jobs/{id}/file", job).then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(file))) {
            assertThat(workbook.getSheet("Summary")).isNotNull();
        }
        assertThat(given().get("/api/reports/schedules/{id}/files", id).jsonPath().getList("id")).containsExactly(job);

        // when the schedule falls due (its time set to a minute ago, as after a night without the service)
        execute("UPDATE report_schedules SET next_run_at = now() - interval '1 minute' WHERE id = ?", id);
        // then the service runs it once by itself, and its next run is the next 06:00 again
        List<String> files = await().atMost(TIMEOUT).until(() -> given().get("/api/reports/schedules/{id}/files", id).jsonPath().getList("id"),
                f -> f.size() == 2);
        assertThat(Instant.parse(given().get("/api/reports/schedules/{id}", id).jsonPath().getString("nextRunAt"))).isAfter(Instant.now());
        await().during(Duration.ofSeconds(35)).atMost(Duration.ofSeconds(40))
                .until(() -> given().get("/api/reports/schedules/{id}/files", id).jsonPath().getList("id").size() == 2);

        // when a file's keep-until has passed, the sweep deletes it; the other stays
        String scheduled = files.stream().filter(f -> !f.equals(job)).findFirst().orElseThrow();
        execute("UPDATE report_jobs SET keep_until = now() - interval '1 second' WHERE id = ?", job);
        await().atMost(TIMEOUT).until(() -> given().get("/api/reports/schedules/{id}/files", id).jsonPath().getList("id"),
                f -> f.equals(List.of(scheduled)));
        given().get("/api/reports/jobs/{id}", job).then().statusCode(404);

        // and a deleted schedule is gone, its file kept until its own keep-until
        given().delete("/api/reports/schedules/{id}", id).then().statusCode(204);
        given().get("/api/reports/schedules/{id}", id).then().statusCode(404);
        given().get("/api/reports/jobs/{id}", scheduled).then().statusCode(200);
    }

    private static Map<String, Object> schedule(String name, String cadence, String day, String at, int keepDays) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("operation", "ALIGN");
        body.put("cadence", cadence);
        body.put("dayOfWeek", day);
        body.put("at", at);
        body.put("keepDays", keepDays);
        body.put("rawData", false);
        return body;
    }

    private static void execute(String sql, Object parameter) throws SQLException {
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
