package com.cpo.service.report;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import com.cpo.domain.YieldFigures;
import com.cpo.service.report.YieldReport.FailingRow;
import com.cpo.service.report.YieldReport.LotRow;

/**
 * Writes a {@link YieldReport} as an .xlsx workbook: "Yield by lot", "Failing units" (continued on
 * further sheets past Excel's row limit) and "Definitions", which states how the figures are counted.
 *
 * <p>Every text goes through {@link Cell#setCellValue(String)}, which stores a string cell: a serial such
 * as {@code =SUM(A1)} stays text and is never evaluated. Percentages are stored as fractions (0.5) with a
 * {@code 0.0%} format, so they stay numbers a user can compute with.
 */
public final class YieldWorkbook {

    /** Media type of an .xlsx file. */
    public static final String CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static final String LOTS_SHEET = "Yield by lot";
    public static final String FAILING_SHEET = "Failing units";
    public static final String DEFINITIONS_SHEET = "Definitions";

    static final List<String> LOT_HEADERS = List.of("Product", "Lot", "Units", "First-pass units", "FPY (%)",
            "Final-pass units", "Final yield (%)", "Runs", "Retest rate");
    static final List<String> FAILING_HEADERS = List.of("Serial", "Product", "Lot", "Run", "Attempt", "Station",
            "Outcome", "Parameter", "Step", "Channel", "Value (dB)", "Lower limit", "Upper limit", "Unit");

    private static final int[] LOT_WIDTHS = {18, 14, 8, 16, 10, 16, 15, 8, 12};
    private static final int[] FAILING_WIDTHS = {18, 18, 14, 30, 8, 14, 12, 32, 14, 8, 11, 11, 11, 6};

    /** Rows kept in memory per sheet before SXSSF flushes them to its temporary file. */
    private static final int ROWS_IN_MEMORY = 200;
    private static final int MAX_ROWS = SpreadsheetVersion.EXCEL2007.getMaxRows();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private YieldWorkbook() {
    }

    /** Writes the workbook to {@code out} (left open) and deletes SXSSF's temporary files. */
    public static void write(YieldReport report, OutputStream out) throws IOException {
        SXSSFWorkbook workbook = new SXSSFWorkbook(ROWS_IN_MEMORY);
        workbook.setCompressTempFiles(true);
        try {
            Styles styles = new Styles(workbook);
            writeLots(workbook, styles, report.lots());
            writeFailing(workbook, styles, report.failing());
            writeDefinitions(workbook, styles, report);
            workbook.write(out);
        } finally {
            workbook.dispose();
            workbook.close();
        }
    }

    private static void writeLots(SXSSFWorkbook workbook, Styles styles, List<LotRow> lots) {
        SXSSFSheet sheet = newTable(workbook, LOTS_SHEET, LOT_HEADERS, LOT_WIDTHS, styles);
        int r = 1;
        for (LotRow lot : lots) {
            YieldFigures f = lot.figures();
            Row row = sheet.createRow(r++);
            text(row, 0, lot.product());
            text(row, 1, lot.lot());
            number(row, 2, f.units(), null);
            number(row, 3, f.firstPassUnits(), null);
            number(row, 4, f.firstPassYield(), styles.percent);
            number(row, 5, f.finalPassUnits(), null);
            number(row, 6, f.finalYield(), styles.percent);
            number(row, 7, f.runs(), null);
            number(row, 8, f.retestRate(), styles.percent);
        }
        finishTable(sheet, r, LOT_HEADERS.size());
    }

    private static void writeFailing(SXSSFWorkbook workbook, Styles styles, List<FailingRow> failing) {
        int part = 1;
        SXSSFSheet sheet = newTable(workbook, FAILING_SHEET, FAILING_HEADERS, FAILING_WIDTHS, styles);
        int r = 1;
        for (FailingRow f : failing) {
            if (r == MAX_ROWS) {
                finishTable(sheet, r, FAILING_HEADERS.size());
                sheet = newTable(workbook, FAILING_SHEET + " (" + ++part + ")", FAILING_HEADERS, FAILING_WIDTHS, styles);
                r = 1;
            }
            Row row = sheet.createRow(r++);
            text(row, 0, f.serial());
            text(row, 1, f.product());
            text(row, 2, f.lot());
            text(row, 3, f.runId());
            number(row, 4, f.attempt(), null);
            text(row, 5, f.station());
            text(row, 6, f.outcome());
            text(row, 7, f.parameter());
            text(row, 8, f.step());
            number(row, 9, f.channel(), null);
            number(row, 10, f.value(), styles.measurement);
            number(row, 11, f.lowerLimit(), styles.measurement);
            number(row, 12, f.upperLimit(), styles.measurement);
            text(row, 13, f.unitOfMeasure());
        }
        finishTable(sheet, r, FAILING_HEADERS.size());
    }

    private static void writeDefinitions(SXSSFWorkbook workbook, Styles styles, YieldReport report) {
        SXSSFSheet sheet = workbook.createSheet(DEFINITIONS_SHEET);
        sheet.setColumnWidth(0, 20 * 256);
        sheet.setColumnWidth(1, 100 * 256);
        String[][] lines = {
            {"Operation", report.operation()},
            {"Generated", UTC.format(report.generatedAt())},
            {"Units", "A unit is a product and serial. Every run of the operation on the lot's units counts."},
            {"FPY", "First-pass yield: units whose first run (by start time) passed / units."},
            {"Final yield", "Units whose latest run passed / units. A retest replaces the unit's earlier result; it never adds a unit."},
            {"Retest rate", "(Runs - units) / units."},
            {"INCOMPLETE", "An aborted run, or one with measurements or limits missing, never counts as a pass: it lowers FPY "
                    + "or final yield like a FAIL. Such runs are listed on 'Failing units' with the reason under Parameter."},
        };
        for (int i = 0; i < lines.length; i++) {
            Row row = sheet.createRow(i);
            text(row, 0, lines[i][0]).setCellStyle(styles.header);
            text(row, 1, lines[i][1]);
        }
    }

    private static SXSSFSheet newTable(SXSSFWorkbook workbook, String name, List<String> headers, int[] widths,
            Styles styles) {
        SXSSFSheet sheet = workbook.createSheet(name);
        Row header = sheet.createRow(0);
        for (int c = 0; c < headers.size(); c++) {
            text(header, c, headers.get(c)).setCellStyle(styles.header);
            sheet.setColumnWidth(c, widths[c] * 256);
        }
        sheet.createFreezePane(0, 1);
        return sheet;
    }

    private static void finishTable(Sheet sheet, int rowCount, int columnCount) {
        sheet.setAutoFilter(new CellRangeAddress(0, Math.max(0, rowCount - 1), 0, columnCount - 1));
    }

    private static Cell text(Row row, int column, String value) {
        Cell cell = row.createCell(column);
        if (value != null) {
            cell.setCellValue(value);
        }
        return cell;
    }

    /** A numeric cell, or none when the value is null or not a number (a ratio over zero units). */
    private static void number(Row row, int column, Number value, CellStyle style) {
        if (value == null || Double.isNaN(value.doubleValue())) {
            return;
        }
        Cell cell = row.createCell(column);
        cell.setCellValue(value.doubleValue());
        if (style != null) {
            cell.setCellStyle(style);
        }
    }

    private static final class Styles {
        final CellStyle header;
        final CellStyle percent;
        final CellStyle measurement;

        Styles(SXSSFWorkbook workbook) {
            Font bold = workbook.createFont();
            bold.setBold(true);
            header = workbook.createCellStyle();
            header.setFont(bold);
            percent = workbook.createCellStyle();
            percent.setDataFormat(workbook.createDataFormat().getFormat("0.0%"));
            measurement = workbook.createCellStyle();
            measurement.setDataFormat(workbook.createDataFormat().getFormat("0.000"));
        }
    }
}
