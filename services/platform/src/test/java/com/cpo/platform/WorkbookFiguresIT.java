package com.cpo.platform;

import static com.cpo.platform.TestStationEvents.alignment;
import static com.cpo.platform.TestStationEvents.started;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.cpo.events.AlignmentStep;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;

/**
 * Every figure of the workbook, read back with POI, against an independent computation from the stored rows
 * (read with plain JDBC, counted here without the service's or the domain's yield code). The data set is one
 * product of its own, so the product filter isolates it from other tests' rows.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkbookFiguresIT {

    private static final Instant DAY1 = Instant.parse("2026-03-09T00:00:00Z");
    private static final Instant DAY2 = DAY1.plus(Duration.ofDays(1));
    private static final double TOLERANCE = 1e-9;

    private final String product = TestVerdicts.uniqueSerial("WB");
    private final String lot1 = TestVerdicts.uniqueSerial("L1");
    private final String lot2 = TestVerdicts.uniqueSerial("L2");

    private XSSFWorkbook workbook;
    private boolean published;

    // Not @BeforeAll: RestAssured is pointed at the packaged app only before each test.
    @BeforeEach
    void publishALineOfUnitsAndDownloadOnce() throws IOException {
        if (published) {
            assertThat(workbook).as("the workbook of the first test's download").isNotNull();
            return;
        }
        published = true;
        LimitSetsIT.draft(product, List.of(LimitSetsIT.limit("coupling_loss", null, null, 2.0),
                LimitSetsIT.limit("coupling_loss", 3, null, 1.9)));
        LimitSetsIT.release(product, 1);
        String u1 = TestVerdicts.uniqueSerial("U1");
        String u2 = TestVerdicts.uniqueSerial("U2");
        String u3 = TestVerdicts.uniqueSerial("U3");
        String u4 = TestVerdicts.uniqueSerial("U4");
        String u5 = TestVerdicts.uniqueSerial("U5");
        try (EventProducer producer = new EventProducer(SharedInfrastructure.kafka().bootstrapServers())) {
            align(producer, u1, lot1, "ALN-A", 1, DAY1.plusSeconds(7 * 3600), Outcome.PASS, new double[] {1.0, 1.2, 1.3, 1.0},
                    new double[] {1.10, 1.25, 1.40, 1.05});
            align(producer, u2, lot1, "ALN-A", 1, DAY1.plusSeconds(15 * 3600), Outcome.FAIL, new double[] {1.1, 1.3, 2.1, 1.2},
                    new double[] {1.20, 1.35, 2.30, 1.15});
            align(producer, u2, lot1, "ALN-B", 2, DAY2.plusSeconds(9 * 3600), Outcome.PASS, new double[] {1.1, 1.3, 1.5, 1.2},
                    new double[] {1.22, 1.31, 1.60, 1.18});
            align(producer, u3, lot2, "ALN-B", 1, DAY1.plusSeconds(23 * 3600 + 1800), Outcome.FAIL,
                    new double[] {2.4, 1.4, 1.3, 2.0}, new double[] {2.60, 1.45, 1.35, 2.20});
            align(producer, u4, lot2, "ALN-B", 1, DAY2.plusSeconds(10 * 3600), Outcome.INCOMPLETE, new double[] {1.3, 1.2, 1.1, 1.4},
                    null);
            align(producer, u5, lot2, "ALN-A", 1, DAY2.plusSeconds(16 * 3600), Outcome.PASS, new double[] {0.9, 1.0, 1.2, 1.1},
                    new double[] {0.95, 1.05, 1.28, 1.12});
            burnIn(producer, u1, lot1, DAY2.plusSeconds(20 * 3600), Outcome.PASS);
            burnIn(producer, u2, lot1, DAY2.plusSeconds(20 * 3600 + 60), Outcome.FAIL);
            burnIn(producer, u5, lot2, DAY2.plusSeconds(21 * 3600), Outcome.PASS);
        }
        Map<String, int[]> expected = Map.of(u1, new int[] {2, 8}, u2, new int[] {3, 16}, u3, new int[] {1, 8},
                u4, new int[] {1, 4}, u5, new int[] {2, 8});
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> expected.forEach((serial, runsAndLoss) -> {
            var unit = given().get("/api/units/{serial}", serial).jsonPath();
            assertThat(unit.getList("runs")).as(serial).hasSize(runsAndLoss[0]);
            assertThat(unit.getList("runs.measurements.flatten().findAll { it.parameter == 'coupling_loss' }"))
                    .as(serial).hasSize(runsAndLoss[1]);
            assertThat(unit.getList("runs.operator")).as(serial).doesNotContainNull();
        }));
        byte[] body = given().queryParam("product", product).get("/api/reports/yield.xlsx")
                .then().statusCode(200).extract().asByteArray();
        workbook = new XSSFWorkbook(new ByteArrayInputStream(body));
    }

    @Test
    void summaryHoldsEachOperationsYieldAndTheirRolledThroughputYield() throws SQLException {
        // given
        Map<String, Counts> byOperation = new LinkedHashMap<>();
        for (String op : List.of("ALIGN", "BURNIN")) {
            byOperation.put(op, Counts.of(verdicts().stream().filter(v -> v.operation().equals(op)).toList()));
        }

        // when
        Sheet summary = workbook.getSheet("Summary");

        // then
        for (var entry : byOperation.entrySet()) {
            Row row = rowWhere(summary, 0, entry.getKey());
            entry.getValue().assertRow(row, 1, true);
        }
        double rty = byOperation.get("ALIGN").fpy() * byOperation.get("BURNIN").fpy();
        assertThat(rowWhere(summary, 0, "RTY (%)").getCell(1).getNumericCellValue()).isCloseTo(rty, within(TOLERANCE));
        assertThat(rty).isCloseTo(2.0 / 5 * 2.0 / 3, within(TOLERANCE));
        assertThat(((XSSFSheet) summary).getDrawingPatriarch().getCharts()).hasSize(2);
    }

    @Test
    void summaryTrendAndParetoTablesFeedTheirCharts() throws SQLException {
        // given
        List<VerdictRow> align = verdicts().stream().filter(v -> v.operation().equals("ALIGN")).toList();
        Map<String, Counts> byDay = byFirstRun(align, start -> start.atZone(ZoneOffset.UTC).toLocalDate().toString());
        Map<String, Long> causes = pareto();

        // when
        Sheet summary = workbook.getSheet("Summary");

        // then
        byDay.forEach((day, counts) -> {
            Row row = rowWhere(summary, 0, day);
            assertThat(row.getCell(1).getNumericCellValue()).isEqualTo(counts.units);
            assertThat(row.getCell(2).getNumericCellValue()).isCloseTo(counts.fpy(), within(TOLERANCE));
            assertThat(row.getCell(3).getNumericCellValue()).isCloseTo(counts.finalYield(), within(TOLERANCE));
        });
        assertThat(causes).containsEntry("coupling_loss POST_THERMAL", 2L).containsEntry("INCOMPLETE", 1L);
        causes.forEach((cause, runs) -> assertThat(rowWhere(summary, 0, cause).getCell(1).getNumericCellValue())
                .isEqualTo(runs.doubleValue()));
    }

    @Test
    void lotStationAndShiftSheetsHoldTheYieldOfTheirUnits() throws SQLException {
        // given
        List<VerdictRow> align = verdicts().stream().filter(v -> v.operation().equals("ALIGN")).toList();

        // then: lots
        Sheet lots = workbook.getSheet("Yield by lot");
        for (String lot : List.of(lot1, lot2)) {
            Counts counts = Counts.of(align.stream().filter(v -> v.lot().equals(lot)).toList());
            Row row = rowWhere(lots, 1, lot);
            assertThat(row.getCell(2).getNumericCellValue()).isEqualTo(counts.units);
            assertThat(row.getCell(3).getNumericCellValue()).isEqualTo(counts.firstPass);
            assertThat(row.getCell(4).getNumericCellValue()).isCloseTo(counts.fpy(), within(TOLERANCE));
            assertThat(row.getCell(5).getNumericCellValue()).isEqualTo(counts.finalPass);
            assertThat(row.getCell(6).getNumericCellValue()).isCloseTo(counts.finalYield(), within(TOLERANCE));
            assertThat(row.getCell(7).getNumericCellValue()).isEqualTo(counts.runs);
        }
        assertThat(lots.getLastRowNum()).isEqualTo(2);

        // then: stations, each over its own runs only
        Sheet stations = workbook.getSheet("By station");
        Map<String, List<VerdictRow>> byStation = align.stream().collect(Collectors.groupingBy(VerdictRow::station));
        assertThat(stations.getLastRowNum()).isEqualTo(byStation.size());
        byStation.forEach((station, runs) -> Counts.of(runs).assertRow(rowWhere(stations, 0, station), 1, true));

        // then: shifts, units by the shift of their first run (A 06-14, B 14-22, C 22-06 UTC)
        Sheet shifts = workbook.getSheet("By shift");
        Map<String, Counts> byShift = byFirstRun(align, WorkbookFiguresIT::shift);
        assertThat(byShift.keySet()).containsExactly("A", "B", "C");
        byShift.forEach((shift, counts) -> counts.assertRow(rowWhere(shifts, 0, shift), 1, true));
    }

    @Test
    void couplingLossSheetHoldsEachChannelsStatisticsAndFlagsLowCapability() throws SQLException {
        // given
        Map<String, List<Double>> values = new TreeMap<>();
        for (Object[] v : rows("""
                SELECT a.step, a.channel, a.coupling_loss_db FROM alignment_values a
                JOIN runs r ON r.run_id = a.run_id JOIN units u ON u.id = r.unit_id
                JOIN verdicts v ON v.run_id = a.run_id AND v.outcome IN ('PASS', 'FAIL')
                WHERE u.product = ?""", product)) {
            values.computeIfAbsent(v[0] + "#" + v[1], k -> new ArrayList<>()).add(((Number) v[2]).doubleValue());
        }

        // when
        Sheet sheet = workbook.getSheet("Coupling loss");

        // then
        assertThat(values).hasSize(8);
        int statsRows = 0;
        for (Row row : sheet) {
            if (row.getRowNum() == 0 || row.getCell(1) == null || row.getCell(1).getCellType() != CellType.STRING
                    || !product.equals(row.getCell(0).getStringCellValue())) {
                continue;
            }
            statsRows++;
            String step = row.getCell(1).getStringCellValue();
            int channel = (int) row.getCell(2).getNumericCellValue();
            List<Double> xs = values.get(step + "#" + channel);
            double n = xs.size();
            double mean = xs.stream().mapToDouble(Double::doubleValue).sum() / n;
            double sigma = Math.sqrt(xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (n - 1));
            double usl = channel == 3 ? 1.9 : 2.0;
            double cpk = (usl - mean) / (3 * sigma);
            List<Double> sorted = xs.stream().sorted().toList();
            assertThat(row.getCell(3).getNumericCellValue()).isEqualTo(n);
            assertThat(row.getCell(4).getNumericCellValue()).isCloseTo(mean, within(TOLERANCE));
            assertThat(row.getCell(5).getNumericCellValue()).isCloseTo(sigma, within(TOLERANCE));
            assertThat(row.getCell(6).getNumericCellValue()).isEqualTo(sorted.get(0));
            assertThat(row.getCell(7).getNumericCellValue()).isEqualTo(sorted.get(sorted.size() - 1));
            // exact percentiles: linear interpolation between the closest ranks (percentile_cont)
            int i = 8;
            for (double p : new double[] {0.01, 0.5, 0.9, 0.99}) {
                double position = p * (n - 1);
                int below = (int) Math.floor(position);
                int above = (int) Math.ceil(position);
                double expected = sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (position - below);
                assertThat(row.getCell(i++).getNumericCellValue()).as("p%s of %s", p, step + "#" + channel)
                        .isCloseTo(expected, within(TOLERANCE));
            }
            assertThat(row.getCell(12)).isNull();
            assertThat(row.getCell(13).getNumericCellValue()).isEqualTo(usl);
            assertThat(row.getCell(14).getNumericCellValue()).isCloseTo(cpk, within(TOLERANCE));
            boolean flagged = cpk < 1.33;
            assertThat(row.getCell(15).getStringCellValue()).isEqualTo(flagged ? "yes" : "no");
            assertThat(row.getCell(14).getCellStyle().getFillPattern())
                    .isEqualTo(flagged ? FillPatternType.SOLID_FOREGROUND : FillPatternType.NO_FILL);
        }
        assertThat(statsRows).isEqualTo(8);
        assertThat(((XSSFSheet) sheet).getDrawingPatriarch().getCharts()).hasSize(1);

        // and the histogram counts every channel's POST_THERMAL value in its 0.1 dB bin, computed here in
        // decimal arithmetic (1.2 dB opens the 1.2 bin)
        Map<String, Long> bins = values.entrySet().stream().filter(e -> e.getKey().startsWith("POST_THERMAL#"))
                .flatMap(e -> e.getValue().stream())
                .collect(Collectors.groupingBy(x -> java.math.BigDecimal.valueOf(x).setScale(1, java.math.RoundingMode.FLOOR).toPlainString(),
                        Collectors.counting()));
        bins.forEach((bin, count) -> assertThat(rowWhere(sheet, 0, bin).getCell(2).getNumericCellValue())
                .as("bin %s", bin).isEqualTo(count.doubleValue()));
    }

    @Test
    void failingUnitsListEveryFailedCheckAndIncompleteRunAndRawDataEveryValue() throws SQLException {
        // given
        List<Object[]> checks = rows("""
                SELECT u.serial, f.channel, f.value, f.upper_limit FROM failed_checks f JOIN verdicts v ON v.id = f.verdict_id
                JOIN units u ON u.id = v.unit_id WHERE u.product = ? AND v.operation = 'ALIGN'""", product);
        List<Object[]> incomplete = rows("""
                SELECT u.serial FROM verdicts v JOIN units u ON u.id = v.unit_id
                WHERE u.product = ? AND v.operation = 'ALIGN' AND v.outcome = 'INCOMPLETE'""", product);
        Set<String> stored = rows("""
                SELECT u.serial, a.run_id, a.step, a.channel, a.coupling_loss_db FROM alignment_values a
                JOIN runs r ON r.run_id = a.run_id JOIN units u ON u.id = r.unit_id WHERE u.product = ?""", product)
                .stream().map(r -> r[0] + "|" + r[1] + "|" + r[2] + "|" + r[3] + "|" + r[4]).collect(Collectors.toSet());

        // when
        Sheet failing = workbook.getSheet("Failing units");
        Sheet raw = workbook.getSheet("Raw data");

        // then
        assertThat(failing.getLastRowNum()).isEqualTo(checks.size() + incomplete.size());
        for (Object[] check : checks) {
            assertThat(rowsWhere(failing, 0, (String) check[0])).anySatisfy(row -> {
                assertThat(row.getCell(9).getNumericCellValue()).isEqualTo(((Number) check[1]).doubleValue());
                assertThat(row.getCell(10).getNumericCellValue()).isEqualTo(((Number) check[2]).doubleValue());
                assertThat(row.getCell(12).getNumericCellValue()).isEqualTo(((Number) check[3]).doubleValue());
            });
        }
        Set<String> written = new TreeSet<>();
        for (Row row : raw) {
            if (row.getRowNum() > 0) {
                written.add(row.getCell(0).getStringCellValue() + "|" + row.getCell(3).getStringCellValue() + "|"
                        + row.getCell(8).getStringCellValue() + "|" + (int) row.getCell(9).getNumericCellValue() + "|"
                        + row.getCell(10).getNumericCellValue());
            }
        }
        assertThat(written).isEqualTo(stored);
        assertThat(raw.getLastRowNum()).isEqualTo(stored.size());
        assertThat(raw.getRow(0).getCell(10).getStringCellValue()).isEqualTo("Coupling loss (dB)");
    }

    @Test
    void everyTableHasAFrozenHeaderAnAutofilterAndNoFormulaAnywhere() {
        for (String name : List.of("Yield by lot", "By station", "By shift", "Coupling loss", "Failing units", "Raw data")) {
            XSSFSheet sheet = workbook.getSheet(name);
            assertThat(sheet.getPaneInformation().isFreezePane()).as(name).isTrue();
            assertThat(sheet.getCTWorksheet().isSetAutoFilter()).as(name).isTrue();
        }
        for (Sheet sheet : workbook) {
            for (Row row : sheet) {
                for (Cell cell : row) {
                    assertThat(cell.getCellType()).as("%s!%s", sheet.getSheetName(), cell.getAddress()).isNotEqualTo(CellType.FORMULA);
                }
            }
        }
        assertThat(rowWhere(workbook.getSheet("Definitions"), 0, "INCOMPLETE").getCell(1).getStringCellValue())
                .contains("never counts as a pass");
    }

    @Test
    void reportRequestedAsAJobIsAcceptedThenPolledThenDownloaded() throws IOException {
        // when
        Response accepted = given().queryParam("product", product).queryParam("async", true).get("/api/reports/yield.xlsx");

        // then
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).contains("/api/reports/jobs/");
        assertThat(accepted.jsonPath().getLong("rawRowsTotal")).isEqualTo(44);
        String fileUrl = await().atMost(Duration.ofSeconds(60)).until(() -> {
            Response poll = given().get(location);
            return "DONE".equals(poll.jsonPath().getString("state")) ? poll.header("Location") : null;
        }, url -> url != null);
        byte[] file = given().get(fileUrl).then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook job = new XSSFWorkbook(new ByteArrayInputStream(file))) {
            assertThat(job.getSheet("Raw data").getLastRowNum()).isEqualTo(44);
            assertThat(job.getSheet("Yield by lot").getLastRowNum()).isEqualTo(2);
        }
    }

    @Test
    void aWorkbookWithoutRawDataHasEveryOtherSheetAsItWas() throws IOException {
        // when
        byte[] body = given().queryParam("product", product).queryParam("rawData", false).get("/api/reports/yield.xlsx").then()
                .statusCode(200).extract().asByteArray();

        // then the raw measurements are left out, their header kept, and the figures are the full workbook's
        try (XSSFWorkbook summary = new XSSFWorkbook(new ByteArrayInputStream(body))) {
            assertThat(summary.getSheet("Raw data").getLastRowNum()).isZero();
            assertThat(workbook.getSheet("Raw data").getLastRowNum()).isEqualTo(44);
            for (String name : List.of("Yield by lot", "By station", "Coupling loss", "Failing units")) {
                assertThat(summary.getSheet(name).getLastRowNum()).as(name).isEqualTo(workbook.getSheet(name).getLastRowNum());
            }
        }
    }

    @Test
    void yieldAndCouplingLossApisAgreeWithTheWorkbook() {
        // when
        var yield = given().queryParam("product", product).queryParam("groupBy", "station").get("/api/yield").jsonPath();
        var loss = given().queryParam("product", product).queryParam("step", "POST_THERMAL").get("/api/coupling-loss").jsonPath();

        // then
        Row align = rowWhere(workbook.getSheet("Summary"), 0, "ALIGN");
        assertThat(yield.getInt("operations.find { it.key == 'ALIGN' }.units")).isEqualTo((int) align.getCell(1).getNumericCellValue());
        assertThat(yield.getDouble("rty")).isCloseTo(rowWhere(workbook.getSheet("Summary"), 0, "RTY (%)").getCell(1)
                .getNumericCellValue(), within(1e-6));
        assertThat(yield.getList("groups.key", String.class)).containsExactly("ALN-A", "ALN-B");
        // Rows 1-4: PRE_CURE channels 1-4; rows 5-8: POST_THERMAL channels 1-4.
        Row channel3 = workbook.getSheet("Coupling loss").getRow(7);
        assertThat(channel3.getCell(1).getStringCellValue()).isEqualTo("POST_THERMAL");
        assertThat(channel3.getCell(2).getNumericCellValue()).isEqualTo(3);
        assertThat(loss.getList("channel", Integer.class)).containsExactly(1, 2, 3, 4);
        assertThat(loss.getDouble("find { it.channel == 3 }.meanDb")).isCloseTo(channel3.getCell(4).getNumericCellValue(), within(1e-6));
        assertThat(loss.getDouble("find { it.channel == 3 }.upperLimitDb")).isEqualTo(1.9);
        assertThat(loss.getBoolean("find { it.channel == 3 }.cpkBelow133")).isEqualTo(
                channel3.getCell(15).getStringCellValue().equals("yes"));
    }

    // ---- the data set

    private void align(EventProducer producer, String serial, String lot, String station, int attempt, Instant start,
            Outcome outcome, double[] preCureDb, double[] postThermalDb) {
        String topic = Topics.STATION_EVENTS.name();
        producer.send(topic, serial, started(serial, product, lot, station, Operation.ALIGN, attempt, start, 4));
        producer.send(topic, serial, alignment(serial, station, attempt, AlignmentStep.PRE_CURE, start.plusSeconds(20), preCureDb));
        List<FailedCheck> checks = new ArrayList<>();
        if (postThermalDb != null) {
            producer.send(topic, serial, alignment(serial, station, attempt, AlignmentStep.POST_THERMAL, start.plusSeconds(60),
                    postThermalDb));
            for (int i = 0; i < postThermalDb.length; i++) {
                double usl = i + 1 == 3 ? 1.9 : 2.0;
                if (postThermalDb[i] > usl) {
                    checks.add(TestVerdicts.couplingLoss(i + 1, postThermalDb[i], usl));
                }
            }
        }
        assertThat(checks.isEmpty()).isEqualTo(outcome != Outcome.FAIL);
        producer.send(Topics.VERDICTS.name(), serial, TestVerdicts.verdict(serial, product, lot, station, Operation.ALIGN,
                attempt, outcome, start, outcome == Outcome.INCOMPLETE ? null : 1,
                outcome == Outcome.INCOMPLETE ? "aborted by operator" : null, checks));
    }

    private void burnIn(EventProducer producer, String serial, String lot, Instant start, Outcome outcome) {
        producer.send(Topics.STATION_EVENTS.name(), serial, started(serial, product, lot, "BI-1", Operation.BURNIN, 1, start, 4));
        List<FailedCheck> checks = outcome == Outcome.FAIL
                ? List.of(FailedCheck.newBuilder().setParameter("power_drift").setStep(null).setChannel(2).setValue(-0.8)
                        .setLowerLimit(-0.5).setUpperLimit(0.5).setUnitOfMeasure("dB").build())
                : List.of();
        Verdict verdict = TestVerdicts.verdict(serial, product, lot, "BI-1", Operation.BURNIN, 1, outcome, start, null, null, checks);
        producer.send(Topics.VERDICTS.name(), serial, verdict);
    }

    // ---- the independent computation

    private record VerdictRow(String serial, String lot, String operation, String station, Instant start, String outcome) {
    }

    private List<VerdictRow> verdicts() throws SQLException {
        return rows("""
                SELECT u.serial, u.lot, v.operation, v.station, v.run_start_time, v.outcome FROM verdicts v
                JOIN units u ON u.id = v.unit_id WHERE u.product = ?""", product).stream()
                .map(r -> new VerdictRow((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        ((java.sql.Timestamp) r[4]).toInstant(), (String) r[5]))
                .toList();
    }

    /** Counts of a set of runs: units by serial, first and last run by start time. */
    private record Counts(int units, int firstPass, int finalPass, int runs, int passedRuns) {

        static Counts of(List<VerdictRow> runs) {
            Map<String, List<VerdictRow>> bySerial = runs.stream().collect(Collectors.groupingBy(VerdictRow::serial));
            int first = 0;
            int last = 0;
            for (List<VerdictRow> unitRuns : bySerial.values()) {
                List<VerdictRow> ordered = unitRuns.stream().sorted(Comparator.comparing(VerdictRow::start)).toList();
                first += ordered.get(0).outcome().equals("PASS") ? 1 : 0;
                last += ordered.get(ordered.size() - 1).outcome().equals("PASS") ? 1 : 0;
            }
            int passed = (int) runs.stream().filter(r -> r.outcome().equals("PASS")).count();
            return new Counts(bySerial.size(), first, last, runs.size(), passed);
        }

        double fpy() {
            return (double) firstPass / units;
        }

        double finalYield() {
            return (double) finalPass / units;
        }

        /** Units, first-pass, FPY, final-pass, final yield, runs, passed runs, test yield, retest rate from column c. */
        void assertRow(Row row, int c, boolean withTestYield) {
            assertThat(row.getCell(c).getNumericCellValue()).isEqualTo(units);
            assertThat(row.getCell(c + 1).getNumericCellValue()).isEqualTo(firstPass);
            assertThat(row.getCell(c + 2).getNumericCellValue()).isCloseTo(fpy(), within(TOLERANCE));
            assertThat(row.getCell(c + 3).getNumericCellValue()).isEqualTo(finalPass);
            assertThat(row.getCell(c + 4).getNumericCellValue()).isCloseTo(finalYield(), within(TOLERANCE));
            assertThat(row.getCell(c + 5).getNumericCellValue()).isEqualTo(runs);
            assertThat(row.getCell(c + 6).getNumericCellValue()).isEqualTo(passedRuns);
            assertThat(row.getCell(c + 7).getNumericCellValue()).isCloseTo((double) passedRuns / runs, within(TOLERANCE));
            assertThat(row.getCell(c + 8).getNumericCellValue()).isCloseTo((double) (runs - units) / units, within(TOLERANCE));
            assertThat(row.getCell(c + 2).getCellStyle().getDataFormatString()).isEqualTo("0.0%");
        }
    }

    private static Map<String, Counts> byFirstRun(List<VerdictRow> runs, Function<Instant, String> key) {
        Map<String, Instant> first = new HashMap<>();
        runs.forEach(r -> first.merge(r.serial(), r.start(), (a, b) -> a.isBefore(b) ? a : b));
        Map<String, List<VerdictRow>> groups = new TreeMap<>();
        runs.forEach(r -> groups.computeIfAbsent(key.apply(first.get(r.serial())), k -> new ArrayList<>()).add(r));
        Map<String, Counts> counts = new TreeMap<>();
        groups.forEach((k, v) -> counts.put(k, Counts.of(v)));
        return counts;
    }

    private static String shift(Instant start) {
        int hour = start.atZone(ZoneOffset.UTC).getHour();
        return hour >= 6 && hour < 14 ? "A" : hour >= 14 && hour < 22 ? "B" : "C";
    }

    private Map<String, Long> pareto() throws SQLException {
        Map<String, Set<String>> causesByRun = new HashMap<>();
        for (Object[] r : rows("""
                SELECT v.run_id, v.outcome, f.parameter, f.step FROM verdicts v JOIN units u ON u.id = v.unit_id
                LEFT JOIN failed_checks f ON f.verdict_id = v.id
                WHERE u.product = ? AND v.operation = 'ALIGN' AND v.outcome <> 'PASS'""", product)) {
            String cause = r[1].equals("INCOMPLETE") ? "INCOMPLETE" : r[2] + (r[3] == null ? "" : " " + r[3]);
            causesByRun.computeIfAbsent((String) r[0], k -> new TreeSet<>()).add(cause);
        }
        return causesByRun.values().stream().flatMap(Set::stream)
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
    }

    private static List<Object[]> rows(String sql, String parameter) throws SQLException {
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static Row rowWhere(Sheet sheet, int column, String value) {
        List<Row> rows = rowsWhere(sheet, column, value);
        assertThat(rows).as("rows of %s with '%s' in column %d", sheet.getSheetName(), value, column).hasSize(1);
        return rows.get(0);
    }

    private static List<Row> rowsWhere(Sheet sheet, int column, String value) {
        List<Row> rows = new ArrayList<>();
        for (Row row : sheet) {
            Cell cell = row.getCell(column);
            if (cell != null && cell.getCellType() == CellType.STRING && value.equals(cell.getStringCellValue())) {
                rows.add(row);
            }
        }
        return rows;
    }
}
