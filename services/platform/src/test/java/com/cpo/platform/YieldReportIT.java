package com.cpo.platform;

import static com.cpo.platform.TestVerdicts.couplingLoss;
import static com.cpo.platform.TestVerdicts.fail;
import static com.cpo.platform.TestVerdicts.incomplete;
import static com.cpo.platform.TestVerdicts.pass;
import static com.cpo.platform.TestVerdicts.uniqueSerial;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;

/**
 * The yield workbook, read back with POI, against figures worked out by hand from the verdicts this test
 * publishes: lot 1 has unit A (pass), B (fail, then pass on retest) and C (fail); lot 2 has unit D,
 * whose only run is INCOMPLETE, and a unit with a serial that looks like a formula. The verdicts are
 * published once per class; names are unique because the database outlives the class.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YieldReportIT {

    private static final Instant START = Instant.parse("2026-03-03T06:00:00Z");
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    private final String lot1 = uniqueSerial("LOT1");
    private final String lot2 = uniqueSerial("LOT2");
    private final String unitA = uniqueSerial("A");
    private final String unitB = uniqueSerial("B");
    private final String unitC = uniqueSerial("C");
    private final String unitD = uniqueSerial("D");
    // A leading "=" is what would make a careless writer emit a formula.
    private final String formulaSerial = "=SUM(A1)" + uniqueSerial("");

    private boolean published;

    @BeforeEach
    void publishTheLotsOnce() {
        if (published) {
            return;
        }
        published = true;
        List<Verdict> verdicts = List.of(
                pass(unitA, lot1, 1, START),
                fail(unitB, lot1, 1, START.plusSeconds(60), couplingLoss(4, 2.37)),
                pass(unitB, lot1, 2, START.plusSeconds(3600)),
                fail(unitC, lot1, 1, START.plusSeconds(120), couplingLoss(2, 3.10), couplingLoss(9, 2.55)),
                incomplete(unitD, lot2, 1, START.plusSeconds(180), "aborted by operator: fiber array chipped"),
                fail(formulaSerial, lot2, 1, START.plusSeconds(240), couplingLoss(1, 2.2)));
        try (VerdictProducer producer = new VerdictProducer(bootstrapServers, Topics.VERDICTS.name())) {
            verdicts.forEach(producer::send);
        }
        Map<String, Integer> runsBySerial = Map.of(unitA, 1, unitB, 2, unitC, 1, unitD, 1, formulaSerial, 1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> runsBySerial.forEach((serial, runs) ->
                assertThat(given().get("/api/units/{serial}", serial).jsonPath().getList("runs")).hasSize(runs)));
    }

    @Test
    void workbookIsAnAttachmentNamedWithTheOperationAndATimestamp() {
        // when
        Response response = given().get("/api/reports/yield.xlsx");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(XLSX);
        assertThat(response.header("Content-Disposition"))
                .matches("attachment; filename=\"yield-ALIGN-\\d{8}T\\d{6}Z\\.xlsx\"");
    }

    @Test
    void lotRowsHoldTheYieldOfTheirUnits() throws IOException {
        // when
        try (XSSFWorkbook workbook = download()) {
            Sheet sheet = workbook.getSheet("Yield by lot");

            // then
            assertThat(texts(sheet.getRow(0))).containsExactly("Product", "Lot", "Units", "First-pass units",
                    "FPY (%)", "Final-pass units", "Final yield (%)", "Runs", "Retest rate");
            assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
            assertThat(workbook.getFontAt(sheet.getRow(0).getCell(0).getCellStyle().getFontIndex()).getBold()).isTrue();
            assertThat(workbook.getSheet("Yield by lot").getCTWorksheet().isSetAutoFilter()).isTrue();

            // A first passed; B failed, then passed; C failed: 3 units, 4 runs.
            Row lot1Row = rowWhere(sheet, 1, lot1);
            assertThat(lot1Row.getCell(0).getStringCellValue()).isEqualTo(TestVerdicts.PRODUCT);
            assertThat(lot1Row.getCell(2).getNumericCellValue()).isEqualTo(3);
            assertThat(lot1Row.getCell(3).getNumericCellValue()).isEqualTo(1);
            assertThat(lot1Row.getCell(4).getNumericCellValue()).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(lot1Row.getCell(5).getNumericCellValue()).isEqualTo(2);
            assertThat(lot1Row.getCell(6).getNumericCellValue()).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(lot1Row.getCell(7).getNumericCellValue()).isEqualTo(4);
            assertThat(lot1Row.getCell(8).getNumericCellValue()).isCloseTo((4.0 - 3) / 3, within(1e-12));
            assertThat(lot1Row.getCell(4).getCellStyle().getDataFormatString()).isEqualTo("0.0%");
            assertThat(new DataFormatter().formatCellValue(lot1Row.getCell(4))).isEqualTo("33.3%");

            // D's only run was INCOMPLETE, which never counts as a pass; the formula-like unit failed.
            Row lot2Row = rowWhere(sheet, 1, lot2);
            assertThat(lot2Row.getCell(2).getNumericCellValue()).isEqualTo(2);
            assertThat(lot2Row.getCell(4).getNumericCellValue()).isZero();
            assertThat(lot2Row.getCell(6).getNumericCellValue()).isZero();
        }
    }

    @Test
    void failingUnitsSheetNamesEveryFailedChannelAndEveryIncompleteRun() throws IOException {
        // when
        try (XSSFWorkbook workbook = download()) {
            Sheet sheet = workbook.getSheet("Failing units");

            // then
            assertThat(texts(sheet.getRow(0))).containsExactly("Serial", "Product", "Lot", "Run", "Attempt",
                    "Station", "Outcome", "Parameter", "Step", "Channel", "Value (dB)", "Lower limit",
                    "Upper limit", "Unit");
            assertThat(rowsWhere(sheet, 0, unitA)).isEmpty();
            assertThat(rowsWhere(sheet, 0, unitB)).singleElement().satisfies(row -> {
                assertThat(row.getCell(4).getNumericCellValue()).isEqualTo(1);
                assertThat(row.getCell(9).getNumericCellValue()).isEqualTo(4);
                assertThat(row.getCell(10).getNumericCellValue()).isEqualTo(2.37);
            });
            List<Row> c = rowsWhere(sheet, 0, unitC);
            assertThat(c).extracting(row -> row.getCell(9).getNumericCellValue()).containsExactly(2.0, 9.0);
            assertThat(c).extracting(row -> row.getCell(7).getStringCellValue()).containsOnly("coupling_loss");
            assertThat(c).extracting(row -> row.getCell(12).getNumericCellValue()).containsOnly(2.0);
            assertThat(c).extracting(row -> row.getCell(13).getStringCellValue()).containsOnly("dB");
            assertThat(rowsWhere(sheet, 0, unitD)).singleElement().satisfies(row -> {
                assertThat(row.getCell(6).getStringCellValue()).isEqualTo("INCOMPLETE");
                assertThat(row.getCell(7).getStringCellValue()).isEqualTo("aborted by operator: fiber array chipped");
                assertThat(row.getCell(9)).isNull();
                assertThat(row.getCell(10)).isNull();
            });
        }
    }

    @Test
    void textThatLooksLikeAFormulaStaysText() throws IOException {
        // when
        try (XSSFWorkbook workbook = download()) {
            Sheet sheet = workbook.getSheet("Failing units");

            // then
            Cell serial = rowsWhere(sheet, 0, formulaSerial).get(0).getCell(0);
            assertThat(serial.getCellType()).isEqualTo(CellType.STRING);
            assertThat(serial.getStringCellValue()).isEqualTo(formulaSerial);
        }
    }

    @Test
    void lotsEndpointAgreesWithTheWorkbook() {
        // when
        List<Map<String, Object>> lots = given().get("/api/lots").jsonPath().getList("findAll { it.lot == '" + lot1 + "' }");

        // then
        assertThat(lots).singleElement().satisfies(lot -> {
            assertThat(lot).containsEntry("units", 3);
            assertThat(((Number) lot.get("fpy")).doubleValue()).isCloseTo(1.0 / 3, within(1e-6));
            assertThat(((Number) lot.get("finalYield")).doubleValue()).isCloseTo(2.0 / 3, within(1e-6));
        });
    }

    private static XSSFWorkbook download() throws IOException {
        byte[] body = given().queryParam("operation", "ALIGN").get("/api/reports/yield.xlsx").then().statusCode(200)
                .extract().asByteArray();
        return new XSSFWorkbook(new ByteArrayInputStream(body));
    }

    private static List<String> texts(Row row) {
        List<String> texts = new ArrayList<>();
        row.forEach(cell -> texts.add(cell.getStringCellValue()));
        return texts;
    }

    private static Row rowWhere(Sheet sheet, int column, String value) {
        List<Row> rows = rowsWhere(sheet, column, value);
        assertThat(rows).as("rows with %s in column %d", value, column).hasSize(1);
        return rows.get(0);
    }

    private static List<Row> rowsWhere(Sheet sheet, int column, String value) {
        List<Row> rows = new ArrayList<>();
        for (Row row : sheet) {
            Cell cell = row.getCell(column);
            if (row.getRowNum() > 0 && cell != null && cell.getCellType() == CellType.STRING
                    && value.equals(cell.getStringCellValue())) {
                rows.add(row);
            }
        }
        return rows;
    }
}
