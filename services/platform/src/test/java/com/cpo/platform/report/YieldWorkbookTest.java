package com.cpo.platform.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.cpo.domain.YieldFigures;
import com.cpo.platform.persistence.RawRow;
import com.cpo.platform.report.YieldReport.FailingRow;
import com.cpo.platform.report.YieldReport.LotRow;

class YieldWorkbookTest {

    private static final Instant NOW = Instant.parse("2026-03-04T10:15:30Z");

    @Test
    void textStartingWithFormulaCharactersIsWrittenAsStringCells() throws IOException {
        // given
        List<String> hostile = List.of("=SUM(A1)", "+1+1", "-2+3", "@cmd", "=HYPERLINK(\"http://x\")");
        List<FailingRow> rows = hostile.stream()
                .map(text -> new FailingRow(text, text, text, text, 1, text, "FAIL", text, null, 1, 2.5, null, 2.0, "dB"))
                .toList();

        // when
        try (XSSFWorkbook workbook = roundTrip(YieldReport.of("ALIGN", NOW, List.of(), rows))) {

            // then
            XSSFSheet sheet = workbook.getSheet(YieldWorkbook.FAILING_SHEET);
            for (int i = 0; i < hostile.size(); i++) {
                Row row = sheet.getRow(i + 1);
                for (int column : new int[] {0, 1, 2, 3, 5, 7}) {
                    assertThat(row.getCell(column).getCellType()).isEqualTo(CellType.STRING);
                    assertThat(row.getCell(column).getStringCellValue()).isEqualTo(hostile.get(i));
                }
            }
        }
    }

    @Test
    void yieldsAreFractionsShownAsPercentages() throws IOException {
        // given: 4 units, 3 passed first time, all 4 in the end after one retest
        LotRow lot = new LotRow("OE-1600", "L1", new YieldFigures(4, 3, 4, 5, 4));

        // when
        try (XSSFWorkbook workbook = roundTrip(YieldReport.of("ALIGN", NOW, List.of(lot), List.of()))) {

            // then
            Row row = workbook.getSheet(YieldWorkbook.LOTS_SHEET).getRow(1);
            DataFormatter shown = new DataFormatter();
            assertThat(row.getCell(4).getNumericCellValue()).isEqualTo(0.75);
            assertThat(shown.formatCellValue(row.getCell(4))).isEqualTo("75.0%");
            assertThat(shown.formatCellValue(row.getCell(6))).isEqualTo("100.0%");
            assertThat(shown.formatCellValue(row.getCell(8))).isEqualTo("25.0%");
        }
    }

    @Test
    void incompleteRunLeavesTheCheckColumnsBlank() throws IOException {
        // given
        FailingRow incomplete = new FailingRow("SN1", "OE-1600", "L1", "run-1", 1, "ALN-01", "INCOMPLETE",
                "aborted", null, null, null, null, null, null);

        // when
        try (XSSFWorkbook workbook = roundTrip(YieldReport.of("ALIGN", NOW, List.of(), List.of(incomplete)))) {

            // then
            Row row = workbook.getSheet(YieldWorkbook.FAILING_SHEET).getRow(1);
            assertThat(row.getCell(7).getStringCellValue()).isEqualTo("aborted");
            for (int column = 9; column <= 12; column++) {
                assertThat(row.getCell(column)).as("column %d", column).isNull();
            }
        }
    }

    @Test
    void definitionsSheetStatesHowIncompleteRunsCount() throws IOException {
        // when
        try (XSSFWorkbook workbook = roundTrip(YieldReport.of("BURNIN", NOW, List.of(), List.of()))) {

            // then
            XSSFSheet sheet = workbook.getSheet(YieldWorkbook.DEFINITIONS_SHEET);
            assertThat(sheet.getRow(0).getCell(1).getStringCellValue()).isEqualTo("BURNIN");
            assertThat(sheet.getRow(1).getCell(1).getStringCellValue()).isEqualTo("2026-03-04 10:15:30 UTC");
            assertThat(sheet.getRow(6).getCell(0).getStringCellValue()).isEqualTo("INCOMPLETE");
            assertThat(sheet.getRow(6).getCell(1).getStringCellValue()).contains("never counts as a pass");
        }
    }

    @Test
    void rawDataPastTheSheetsRowLimitContinuesOnFurtherSheets() throws IOException {
        // given: sheets of 4 rows (header + 3) instead of Excel's 1,048,576, and 7 raw rows
        List<RawRow> raw = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            raw.add(new RawRow("SN" + i, "OE-1600", "L1", "run-" + i, 1, "ALN-01", NOW, "PASS", "POST_THERMAL", 1, 1.0 + i / 10.0, null));
        }
        List<Long> progress = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // when
        YieldWorkbook.write(YieldReport.of("ALIGN", NOW, List.of(), List.of()), raw.iterator(), out, progress::add, 4);

        // then
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(workbook.getSheet("Raw data").getLastRowNum()).isEqualTo(3);
            assertThat(workbook.getSheet("Raw data (2)").getLastRowNum()).isEqualTo(3);
            assertThat(workbook.getSheet("Raw data (3)").getLastRowNum()).isEqualTo(1);
            assertThat(workbook.getSheet("Raw data (3)").getRow(0).getCell(10).getStringCellValue()).isEqualTo("Coupling loss (dB)");
            assertThat(workbook.getSheet("Raw data (3)").getRow(1).getCell(0).getStringCellValue()).isEqualTo("SN6");
            assertThat(workbook.getSheet("Raw data (2)").getPaneInformation().isFreezePane()).isTrue();
            assertThat(workbook.getSheet("Raw data").getRow(1).getCell(6).getCellStyle().getDataFormatString())
                    .isEqualTo("yyyy-mm-dd hh:mm:ss");
        }
        assertThat(progress).last().isEqualTo(7L);
    }

    @Test
    void sheetsComeInTheOrderEngineersReadThem() throws IOException {
        // when
        try (XSSFWorkbook workbook = roundTrip(YieldReport.of("ALIGN", NOW, List.of(), List.of()))) {

            // then
            List<String> names = new ArrayList<>();
            workbook.forEach(sheet -> names.add(sheet.getSheetName()));
            assertThat(names).containsExactly("Summary", "Yield by lot", "By station", "By shift", "Coupling loss",
                    "Control chart", "DPAT outliers", "Failing units", "Raw data", "Definitions");
        }
    }

    @Test
    void theControlChartSheetListsEachHourWithItsLimitsHighlightsBrokenRulesAndChartsTheFirstChart() throws IOException {
        // given two hours of one chart, the second beyond its upper control limit, and an hour of another channel
        Instant h0 = Instant.parse("2026-11-24T06:00:00Z");
        List<ControlChartSheet.Point> points = List.of(
                new ControlChartSheet.Point("CPO-OE16", "AA-01", 1, h0, 12, 1.21, 0.1, 1, 1.2, 1.113, 1.287, 0.35, ""),
                new ControlChartSheet.Point("CPO-OE16", "AA-01", 1, h0.plusSeconds(3600), 12, 1.41, 0.1, 1, 1.2, 1.113, 1.287, 7.27,
                        "BEYOND_3_SIGMA"),
                new ControlChartSheet.Point("CPO-OE16", "AA-01", 2, h0, 12, 1.0, 0.1, null, null, null, null, null, ""));
        YieldReport base = YieldReport.of("ALIGN", NOW, List.of(), List.of());
        YieldReport report = new YieldReport(base.operation(), base.generatedAt(), base.filters(), base.operations(), base.rty(), base.lots(),
                base.stations(), base.shifts(), base.trend(), base.pareto(), base.couplingLoss(), base.histogramStep(), base.histogram(),
                base.failing(), base.definitions(), points, List.of());

        // when
        try (XSSFWorkbook workbook = roundTrip(report)) {
            var sheet = workbook.getSheet(ControlChartSheet.SHEET);

            // then
            assertThat(sheet.getLastRowNum()).isEqualTo(3);
            assertThat(sheet.getRow(2).getCell(3).getStringCellValue()).isEqualTo("2026-11-24 07:00");
            assertThat(sheet.getRow(2).getCell(10).getNumericCellValue()).isEqualTo(1.287);
            assertThat(sheet.getRow(2).getCell(12).getStringCellValue()).isEqualTo("BEYOND_3_SIGMA");
            assertThat(sheet.getRow(2).getCell(5).getCellStyle().getFillForegroundColor()).isEqualTo(org.apache.poi.ss.usermodel.IndexedColors.ROSE.getIndex());
            assertThat(sheet.getRow(1).getCell(5).getCellStyle().getFillForegroundColor()).isNotEqualTo(org.apache.poi.ss.usermodel.IndexedColors.ROSE.getIndex());
            assertThat(sheet.getRow(3).getCell(8)).as("no centre without a baseline").isNull();
            var charts = sheet.getDrawingPatriarch().getCharts();
            assertThat(charts).singleElement().satisfies(c -> {
                assertThat(c.getTitleText().getString()).contains("AA-01").contains("channel 1");
                assertThat(c.getChartSeries().get(0).getSeriesCount()).isEqualTo(4);
            });
        }
    }

    private static XSSFWorkbook roundTrip(YieldReport report) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        YieldWorkbook.write(report, out);
        return new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()));
    }
}
