package com.cpo.platform.report;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.BarDirection;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.MarkerStyle;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import com.cpo.domain.YieldFigures;
import com.cpo.platform.persistence.RawRow;
import com.cpo.platform.report.YieldReport.FailingRow;
import com.cpo.platform.report.YieldReport.GroupRow;
import com.cpo.platform.report.YieldReport.HistogramRow;
import com.cpo.platform.report.YieldReport.LotRow;
import com.cpo.platform.report.YieldReport.OperationRow;
import com.cpo.platform.report.YieldReport.ParetoRow;
import com.cpo.platform.report.YieldReport.StatsRow;

/**
 * Writes a {@link YieldReport} and a stream of raw measurements as an .xlsx workbook, in bounded memory.
 *
 * <p>The small sheets with charts (Summary, Yield by lot, By station, By shift, Coupling loss) are built in
 * memory as a template; the sheets that grow with the data (Failing units, Raw data) are then streamed by
 * SXSSF, which keeps {@value #ROWS_IN_MEMORY} rows per sheet in memory and the rest in a compressed
 * temporary file. Raw data past Excel's 1,048,576 rows continues on "Raw data (2)", "(3)", ...
 *
 * <p>Every text goes through {@link Cell#setCellValue(String)}, which stores a string cell: a serial such
 * as {@code =SUM(A1)} stays text and is never evaluated; no cell is ever a formula. Percentages are stored
 * as fractions (0.5) with a {@code 0.0%} format, so they stay numbers a user can compute with.
 *
 * <p>No framework here: the benchmark calls it directly.
 */
public final class YieldWorkbook {

    /** Media type of an .xlsx file. */
    public static final String CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static final String SUMMARY_SHEET = "Summary";
    public static final String LOTS_SHEET = "Yield by lot";
    public static final String STATIONS_SHEET = "By station";
    public static final String SHIFTS_SHEET = "By shift";
    public static final String COUPLING_SHEET = "Coupling loss";
    public static final String FAILING_SHEET = "Failing units";
    public static final String RAW_SHEET = "Raw data";
    public static final String DEFINITIONS_SHEET = "Definitions";

    static final List<String> OPERATION_HEADERS = List.of("Operation", "Units", "First-pass units", "FPY (%)",
            "Final-pass units", "Final yield (%)", "Runs", "Passed runs", "Test yield (%)", "Retest rate");
    static final List<String> LOT_HEADERS = List.of("Product", "Lot", "Units", "First-pass units", "FPY (%)",
            "Final-pass units", "Final yield (%)", "Runs", "Retest rate");
    static final List<String> GROUP_HEADERS = List.of("Units", "First-pass units", "FPY (%)", "Final-pass units",
            "Final yield (%)", "Runs", "Passed runs", "Test yield (%)", "Retest rate");
    static final List<String> STATS_HEADERS = List.of("Product", "Step", "Channel", "n", "Mean (dB)", "σ (dB)",
            "Min (dB)", "Max (dB)", "p1 exact (dB)", "p50 exact (dB)", "p90 exact (dB)", "p99 exact (dB)", "LSL (dB)", "USL (dB)", "Ppk (Cpk)",
            "Cpk < 1.33");
    static final List<String> FAILING_HEADERS = List.of("Serial", "Product", "Lot", "Run", "Attempt", "Station",
            "Outcome", "Parameter", "Step", "Channel", "Value (dB)", "Lower limit", "Upper limit", "Unit");
    static final List<String> RAW_HEADERS = List.of("Serial", "Product", "Lot", "Run", "Attempt", "Station",
            "Run start (UTC)", "Outcome", "Step", "Channel", "Coupling loss (dB)", "PDL (dB)");

    private static final int[] FAILING_WIDTHS = {18, 18, 14, 30, 8, 14, 12, 32, 14, 8, 11, 11, 11, 6};
    private static final int[] RAW_WIDTHS = {18, 18, 14, 30, 8, 14, 20, 12, 14, 8, 18, 10};

    /** Rows kept in memory per streamed sheet before SXSSF flushes them to its temporary file. */
    static final int ROWS_IN_MEMORY = 200;
    /** Raw rows between two progress reports. */
    static final int PROGRESS_EVERY = 10_000;
    private static final int MAX_ROWS = SpreadsheetVersion.EXCEL2007.getMaxRows();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private YieldWorkbook() {
    }

    /** Writes the workbook without raw data to {@code out} (left open). */
    public static void write(YieldReport report, OutputStream out) throws IOException {
        write(report, Stream.empty(), out, n -> { });
    }

    /**
     * Writes the workbook to {@code out} (left open) and deletes SXSSF's temporary files.
     *
     * @param raw the raw measurements, consumed once, in the order they should appear
     * @param rawRowsWritten told the number of raw rows written so far, every {@value #PROGRESS_EVERY} rows and at the end
     */
    public static void write(YieldReport report, Stream<RawRow> raw, OutputStream out, LongConsumer rawRowsWritten)
            throws IOException {
        write(report, raw.iterator(), out, rawRowsWritten, MAX_ROWS);
    }

    /** As {@link #write(YieldReport, Stream, OutputStream, LongConsumer)}, with a smaller sheet size for tests. */
    static void write(YieldReport report, Iterator<RawRow> raw, OutputStream out, LongConsumer rawRowsWritten,
            int maxRowsPerSheet) throws IOException {
        XSSFWorkbook template = new XSSFWorkbook();
        Styles styles = new Styles(template);
        writeSummary(template, styles, report);
        writeLots(template, styles, report.lots());
        writeGroups(template, styles, STATIONS_SHEET, "Station", report.stations());
        writeGroups(template, styles, SHIFTS_SHEET, "Shift", report.shifts());
        writeCouplingLoss(template, styles, report);
        ControlChartSheet.write(template, report.controlChart());
        DpatSheet.write(template, report.dpat(), "Channels of passing ALIGN runs outside their DPAT robust limits (median ± k × IQR/1.35); "
                + report.dpat().size() + " rows.");
        SXSSFWorkbook workbook = new SXSSFWorkbook(template, ROWS_IN_MEMORY);
        workbook.setCompressTempFiles(true);
        try {
            writeFailing(workbook, styles, report.failing(), maxRowsPerSheet);
            writeRaw(workbook, styles, raw, rawRowsWritten, maxRowsPerSheet);
            writeDefinitions(workbook, styles, report);
            workbook.write(out);
        } finally {
            workbook.dispose();
            workbook.close();
        }
    }

    private static void writeSummary(XSSFWorkbook workbook, Styles styles, YieldReport report) {
        XSSFSheet sheet = workbook.createSheet(SUMMARY_SHEET);
        sheet.setColumnWidth(0, 22 * 256);
        for (int c = 1; c < OPERATION_HEADERS.size(); c++) {
            sheet.setColumnWidth(c, 15 * 256);
        }
        int r = 0;
        Row title = sheet.createRow(r++);
        text(title, 0, "Yield report").setCellStyle(styles.header);
        text(title, 1, report.operation());
        Row filters = sheet.createRow(r++);
        text(filters, 0, "Filters").setCellStyle(styles.header);
        text(filters, 1, report.filters());
        Row generated = sheet.createRow(r++);
        text(generated, 0, "Generated").setCellStyle(styles.header);
        text(generated, 1, UTC.format(report.generatedAt()));
        r++;
        header(sheet.createRow(r++), OPERATION_HEADERS, styles);
        for (OperationRow op : report.operations()) {
            Row row = sheet.createRow(r++);
            text(row, 0, op.operation());
            figures(row, 1, op.figures(), styles, true);
        }
        Row rty = sheet.createRow(r++);
        text(rty, 0, "RTY (%)").setCellStyle(styles.header);
        number(rty, 1, report.rty(), styles.percent);
        r++;

        Row trendTitle = sheet.createRow(r++);
        text(trendTitle, 0, "Yield trend of " + report.operation() + " by day of first run (UTC)").setCellStyle(styles.header);
        int trendHeader = r;
        header(sheet.createRow(r++), List.of("Day", "Units", "FPY (%)", "Final yield (%)"), styles);
        for (GroupRow day : report.trend()) {
            Row row = sheet.createRow(r++);
            text(row, 0, day.key());
            number(row, 1, day.figures().units(), styles.count);
            number(row, 2, day.figures().firstPassYield(), styles.percent);
            number(row, 3, day.figures().finalYield(), styles.percent);
        }
        int trendLast = r - 1;
        r++;

        Row paretoTitle = sheet.createRow(r++);
        text(paretoTitle, 0, "Failure Pareto of " + report.operation() + " (runs that did not pass)").setCellStyle(styles.header);
        int paretoHeader = r;
        header(sheet.createRow(r++), List.of("Cause", "Runs", "Cumulative (%)"), styles);
        long total = report.pareto().stream().mapToLong(ParetoRow::runs).sum();
        long cumulative = 0;
        for (ParetoRow cause : report.pareto()) {
            cumulative += cause.runs();
            Row row = sheet.createRow(r++);
            text(row, 0, cause.cause());
            number(row, 1, cause.runs(), styles.count);
            number(row, 2, total == 0 ? Double.NaN : (double) cumulative / total, styles.percent);
        }
        int paretoLast = r - 1;

        XSSFDrawing drawing = sheet.createDrawingPatriarch();
        if (trendLast > trendHeader) {
            XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, 11, 0, 21, 18));
            chart.setTitleText("Yield trend (" + report.operation() + ")");
            chart.setTitleOverlay(false);
            chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
            XDDFCategoryAxis days = chart.createCategoryAxis(AxisPosition.BOTTOM);
            days.setTitle("Day of first run");
            XDDFValueAxis yield = chart.createValueAxis(AxisPosition.LEFT);
            yield.setTitle("Yield");
            yield.setCrosses(AxisCrosses.AUTO_ZERO);
            yield.setNumberFormat("0%");
            XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, days, yield);
            XDDFDataSource<String> x = XDDFDataSourcesFactory.fromStringCellRange(sheet,
                    new CellRangeAddress(trendHeader + 1, trendLast, 0, 0));
            series(data, x, sheet, trendHeader, trendLast, 2, "FPY");
            series(data, x, sheet, trendHeader, trendLast, 3, "Final yield");
            chart.plot(data);
        }
        if (paretoLast > paretoHeader) {
            XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, 11, 19, 21, 37));
            chart.setTitleText("Failure Pareto (" + report.operation() + ")");
            chart.setTitleOverlay(false);
            XDDFCategoryAxis causes = chart.createCategoryAxis(AxisPosition.BOTTOM);
            causes.setTitle("Cause");
            XDDFValueAxis runs = chart.createValueAxis(AxisPosition.LEFT);
            runs.setTitle("Runs");
            runs.setCrosses(AxisCrosses.AUTO_ZERO);
            XDDFBarChartData data = (XDDFBarChartData) chart.createData(ChartTypes.BAR, causes, runs);
            data.setBarDirection(BarDirection.COL);
            XDDFDataSource<String> x = XDDFDataSourcesFactory.fromStringCellRange(sheet,
                    new CellRangeAddress(paretoHeader + 1, paretoLast, 0, 0));
            series(data, x, sheet, paretoHeader, paretoLast, 1, "Runs");
            chart.plot(data);
        }
    }

    private static void series(XDDFChartData data, XDDFDataSource<String> x, XSSFSheet sheet, int header, int last,
            int column, String title) {
        XDDFNumericalDataSource<Double> y = XDDFDataSourcesFactory.fromNumericCellRange(sheet,
                new CellRangeAddress(header + 1, last, column, column));
        XDDFChartData.Series series = data.addSeries(x, y);
        series.setTitle(title, null);
        if (series instanceof XDDFLineChartData.Series line) {
            line.setMarkerStyle(MarkerStyle.CIRCLE);
            line.setSmooth(false);
        }
    }

    private static void writeLots(Workbook workbook, Styles styles, List<LotRow> lots) {
        Sheet sheet = newTable(workbook, LOTS_SHEET, LOT_HEADERS, styles);
        int r = 1;
        for (LotRow lot : lots) {
            YieldFigures f = lot.figures();
            Row row = sheet.createRow(r++);
            text(row, 0, lot.product());
            text(row, 1, lot.lot());
            number(row, 2, f.units(), styles.count);
            number(row, 3, f.firstPassUnits(), styles.count);
            number(row, 4, f.firstPassYield(), styles.percent);
            number(row, 5, f.finalPassUnits(), styles.count);
            number(row, 6, f.finalYield(), styles.percent);
            number(row, 7, f.runs(), styles.count);
            number(row, 8, f.retestRate(), styles.percent);
        }
        finishTable(sheet, r, LOT_HEADERS.size(), new int[] {18, 14, 8, 16, 10, 16, 15, 8, 12});
    }

    private static void writeGroups(Workbook workbook, Styles styles, String name, String key, List<GroupRow> groups) {
        List<String> headers = new java.util.ArrayList<>();
        headers.add(key);
        headers.addAll(GROUP_HEADERS);
        Sheet sheet = newTable(workbook, name, headers, styles);
        int r = 1;
        for (GroupRow group : groups) {
            Row row = sheet.createRow(r++);
            text(row, 0, group.key());
            figures(row, 1, group.figures(), styles, true);
        }
        finishTable(sheet, r, headers.size(), new int[] {16, 8, 16, 10, 16, 15, 8, 12, 14, 12});
    }

    /** Units, first-pass units, FPY, final-pass units, final yield, runs[, passed runs, test yield], retest rate. */
    private static void figures(Row row, int c, YieldFigures f, Styles styles, boolean withTestYield) {
        number(row, c++, f.units(), styles.count);
        number(row, c++, f.firstPassUnits(), styles.count);
        number(row, c++, f.firstPassYield(), styles.percent);
        number(row, c++, f.finalPassUnits(), styles.count);
        number(row, c++, f.finalYield(), styles.percent);
        number(row, c++, f.runs(), styles.count);
        if (withTestYield) {
            number(row, c++, f.passedRuns(), styles.count);
            number(row, c++, f.testYield(), styles.percent);
        }
        number(row, c, f.retestRate(), styles.percent);
    }

    private static void writeCouplingLoss(XSSFWorkbook workbook, Styles styles, YieldReport report) {
        XSSFSheet sheet = (XSSFSheet) newTable(workbook, COUPLING_SHEET, STATS_HEADERS, styles);
        int r = 1;
        for (StatsRow s : report.couplingLoss()) {
            Row row = sheet.createRow(r++);
            text(row, 0, s.product());
            text(row, 1, s.step());
            number(row, 2, s.channel(), styles.count);
            number(row, 3, s.n(), styles.count);
            number(row, 4, s.meanDb(), styles.measurement);
            number(row, 5, s.sigmaDb(), styles.measurement);
            number(row, 6, s.minDb(), styles.measurement);
            number(row, 7, s.maxDb(), styles.measurement);
            number(row, 8, s.p1Db(), styles.measurement);
            number(row, 9, s.p50Db(), styles.measurement);
            number(row, 10, s.p90Db(), styles.measurement);
            number(row, 11, s.p99Db(), styles.measurement);
            number(row, 12, s.lowerLimit(), styles.measurement);
            number(row, 13, s.upperLimit(), styles.measurement);
            number(row, 14, s.cpk(), s.flagged() ? styles.flagged : styles.ratio);
            Cell flag = text(row, 15, s.flagged() ? "yes" : Double.isNaN(s.cpk()) ? "n/a" : "no");
            if (s.flagged()) {
                flag.setCellStyle(styles.flaggedText);
            }
        }
        finishTable(sheet, r, STATS_HEADERS.size(), new int[] {16, 14, 8, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11});

        HistogramRow h = report.histogram();
        if (h == null) {
            return;
        }
        int r0 = r + 2;
        Row title = sheet.createRow(r0 - 1);
        text(title, 0, "Histogram, every channel at " + report.histogramStep()).setCellStyle(styles.header);
        header(sheet.createRow(r0), List.of("Bin from (dB)", "Bin to (dB)", "Count"), styles);
        int hr = r0 + 1;
        Row under = sheet.createRow(hr++);
        text(under, 0, "below " + h.lowerEdgesDb()[0]);
        number(under, 2, h.underflow(), styles.count);
        int first = hr;
        for (int i = 0; i < h.counts().length; i++) {
            Row row = sheet.createRow(hr++);
            // Text labels so the chart's category axis shows the bin, not a number Excel re-formats.
            text(row, 0, String.format(java.util.Locale.ROOT, "%.1f", h.lowerEdgesDb()[i]));
            number(row, 1, h.lowerEdgesDb()[i] + h.binWidthDb(), styles.measurement);
            number(row, 2, h.counts()[i], styles.count);
        }
        int last = hr - 1;
        Row over = sheet.createRow(hr);
        text(over, 0, "at or above " + (h.lowerEdgesDb()[h.counts().length - 1] + h.binWidthDb()));
        number(over, 2, h.overflow(), styles.count);

        XSSFDrawing drawing = sheet.createDrawingPatriarch();
        XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, 4, r0, 16, r0 + 22));
        chart.setTitleText("Coupling loss at " + report.histogramStep() + ", all channels");
        chart.setTitleOverlay(false);
        XDDFCategoryAxis bins = chart.createCategoryAxis(AxisPosition.BOTTOM);
        bins.setTitle("Coupling loss (dB), bin lower edge");
        XDDFValueAxis counts = chart.createValueAxis(AxisPosition.LEFT);
        counts.setTitle("Channels");
        counts.setCrosses(AxisCrosses.AUTO_ZERO);
        XDDFBarChartData data = (XDDFBarChartData) chart.createData(ChartTypes.BAR, bins, counts);
        data.setBarDirection(BarDirection.COL);
        data.setGapWidth(0);
        XDDFDataSource<String> x = XDDFDataSourcesFactory.fromStringCellRange(sheet, new CellRangeAddress(first, last, 0, 0));
        series(data, x, sheet, first - 1, last, 2, "Count");
        chart.plot(data);
    }

    private static void writeFailing(SXSSFWorkbook workbook, Styles styles, List<FailingRow> failing, int maxRows) {
        int part = 1;
        Sheet sheet = newTable(workbook, FAILING_SHEET, FAILING_HEADERS, styles);
        int r = 1;
        for (FailingRow f : failing) {
            if (r == maxRows) {
                finishTable(sheet, r, FAILING_HEADERS.size(), FAILING_WIDTHS);
                sheet = newTable(workbook, FAILING_SHEET + " (" + ++part + ")", FAILING_HEADERS, styles);
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
        finishTable(sheet, r, FAILING_HEADERS.size(), FAILING_WIDTHS);
    }

    private static void writeRaw(SXSSFWorkbook workbook, Styles styles, Iterator<RawRow> raw, LongConsumer progress,
            int maxRows) {
        int part = 1;
        Sheet sheet = newTable(workbook, RAW_SHEET, RAW_HEADERS, styles);
        int r = 1;
        long written = 0;
        while (raw.hasNext()) {
            RawRow m = raw.next();
            if (r == maxRows) {
                finishTable(sheet, r, RAW_HEADERS.size(), RAW_WIDTHS);
                sheet = newTable(workbook, RAW_SHEET + " (" + ++part + ")", RAW_HEADERS, styles);
                r = 1;
            }
            Row row = sheet.createRow(r++);
            text(row, 0, m.serial());
            text(row, 1, m.product());
            text(row, 2, m.lot());
            text(row, 3, m.runId());
            number(row, 4, m.attempt(), null);
            text(row, 5, m.station());
            if (m.runStart() != null) {
                Cell start = row.createCell(6);
                start.setCellValue(m.runStart().atOffset(ZoneOffset.UTC).toLocalDateTime());
                start.setCellStyle(styles.timestamp);
            }
            text(row, 7, m.outcome());
            text(row, 8, m.step());
            number(row, 9, m.channel(), null);
            number(row, 10, m.couplingLossDb(), styles.measurement);
            number(row, 11, m.pdlDb(), styles.measurement);
            if (++written % PROGRESS_EVERY == 0) {
                progress.accept(written);
            }
        }
        finishTable(sheet, r, RAW_HEADERS.size(), RAW_WIDTHS);
        progress.accept(written);
    }

    private static void writeDefinitions(SXSSFWorkbook workbook, Styles styles, YieldReport report) {
        Sheet sheet = workbook.createSheet(DEFINITIONS_SHEET);
        sheet.setColumnWidth(0, 20 * 256);
        sheet.setColumnWidth(1, 120 * 256);
        List<String[]> lines = new java.util.ArrayList<>(List.of(new String[][] {
            {"Operation", report.operation()},
            {"Generated", UTC.format(report.generatedAt())},
            {"Filters", report.filters()},
            {"Units", "A unit is a product and serial. Per operation, the units are those whose first run of the operation "
                    + "started in the time range; all their later runs count, even outside it."},
            {"FPY", "First-pass yield: units whose first run (by start time) passed / units."},
            {"Final yield", "Units whose latest run passed / units. A retest replaces the unit's earlier result; it never adds a unit."},
            {"INCOMPLETE", "An aborted run, or one with measurements or limits missing, never counts as a pass: it lowers FPY "
                    + "or final yield like a FAIL. Such runs are listed on 'Failing units' with the reason under Parameter."},
            {"Test yield", "Passed runs / runs: the figure for a station, which may see only retests."},
            {"Retest rate", "(Runs - units) / units."},
            {"RTY", "Rolled throughput yield: the product of the FPYs of the operations on the Summary sheet."},
        }));
        lines.addAll(report.definitions());
        for (int i = 0; i < lines.size(); i++) {
            Row row = sheet.createRow(i);
            text(row, 0, lines.get(i)[0]).setCellStyle(styles.header);
            text(row, 1, lines.get(i)[1]);
        }
    }

    private static Sheet newTable(Workbook workbook, String name, List<String> headers, Styles styles) {
        Sheet sheet = workbook.createSheet(name);
        header(sheet.createRow(0), headers, styles);
        sheet.createFreezePane(0, 1);
        return sheet;
    }

    private static void header(Row row, List<String> headers, Styles styles) {
        for (int c = 0; c < headers.size(); c++) {
            text(row, c, headers.get(c)).setCellStyle(styles.header);
        }
    }

    private static void finishTable(Sheet sheet, int rowCount, int columnCount, int[] widths) {
        for (int c = 0; c < columnCount && c < widths.length; c++) {
            sheet.setColumnWidth(c, widths[c] * 256);
        }
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
        if (value == null || Double.isNaN(value.doubleValue()) || Double.isInfinite(value.doubleValue())) {
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
        final CellStyle count;
        final CellStyle ratio;
        final CellStyle flagged;
        final CellStyle flaggedText;
        final CellStyle timestamp;

        Styles(Workbook workbook) {
            Font bold = workbook.createFont();
            bold.setBold(true);
            header = workbook.createCellStyle();
            header.setFont(bold);
            var formats = workbook.createDataFormat();
            percent = workbook.createCellStyle();
            percent.setDataFormat(formats.getFormat("0.0%"));
            measurement = workbook.createCellStyle();
            measurement.setDataFormat(formats.getFormat("0.000"));
            count = workbook.createCellStyle();
            count.setDataFormat(formats.getFormat("0"));
            ratio = workbook.createCellStyle();
            ratio.setDataFormat(formats.getFormat("0.00"));
            flagged = workbook.createCellStyle();
            flagged.setDataFormat(formats.getFormat("0.00"));
            flagged.setFillForegroundColor(IndexedColors.ROSE.getIndex());
            flagged.setFillPattern(FillPatternType.SOLID_FOREGROUND);
            flagged.setFont(bold);
            flaggedText = workbook.createCellStyle();
            flaggedText.setFillForegroundColor(IndexedColors.ROSE.getIndex());
            flaggedText.setFillPattern(FillPatternType.SOLID_FOREGROUND);
            flaggedText.setFont(bold);
            timestamp = workbook.createCellStyle();
            timestamp.setDataFormat(formats.getFormat("yyyy-mm-dd hh:mm:ss"));
        }
    }
}
