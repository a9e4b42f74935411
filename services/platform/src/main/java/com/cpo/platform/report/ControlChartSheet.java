package com.cpo.platform.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.MarkerStyle;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The workbook's control-chart sheet: every hourly subgroup of the report's scope with its limits and the Western
 * Electric rules it broke (highlighted), and a line chart of the first chart in it (product × station × channel).
 */
public final class ControlChartSheet {

    public static final String SHEET = "Control chart";
    public static final List<String> HEADERS = List.of("Product", "Station", "Channel", "Hour (UTC)", "n", "Mean (dB)", "σ (dB)",
            "Baseline", "Centre (dB)", "LCL (dB)", "UCL (dB)", "z", "Rules broken");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final int[] WIDTHS = {12, 10, 8, 18, 6, 10, 10, 9, 11, 10, 10, 8, 40};

    /**
     * One hourly subgroup.
     *
     * @param violations the rules broken, comma-separated; empty when none
     */
    public record Point(String product, String station, int channel, Instant hourStart, long n, double meanDb, Double stdDevDb,
            Integer baselineVersion, Double centreDb, Double lclDb, Double uclDb, Double z, String violations) {
    }

    private ControlChartSheet() {
    }

    public static void write(XSSFWorkbook workbook, List<Point> points) {
        XSSFSheet sheet = workbook.createSheet(SHEET);
        Font bold = workbook.createFont();
        bold.setBold(true);
        CellStyle header = workbook.createCellStyle();
        header.setFont(bold);
        CellStyle db = workbook.createCellStyle();
        db.setDataFormat(workbook.createDataFormat().getFormat("0.000"));
        CellStyle flagged = workbook.createCellStyle();
        flagged.setFillForegroundColor(IndexedColors.ROSE.getIndex());
        flagged.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        flagged.setFont(bold);
        Row head = sheet.createRow(0);
        for (int c = 0; c < HEADERS.size(); c++) {
            head.createCell(c).setCellValue(HEADERS.get(c));
            head.getCell(c).setCellStyle(header);
            sheet.setColumnWidth(c, WIDTHS[c] * 256);
        }
        sheet.createFreezePane(0, 1);
        int r = 1;
        for (Point p : points) {
            Row row = sheet.createRow(r++);
            row.createCell(0).setCellValue(p.product());
            row.createCell(1).setCellValue(p.station());
            row.createCell(2).setCellValue(p.channel());
            row.createCell(3).setCellValue(HOUR.format(p.hourStart()));
            row.createCell(4).setCellValue(p.n());
            number(row, 5, p.meanDb(), db);
            number(row, 6, p.stdDevDb(), db);
            if (p.baselineVersion() != null) {
                row.createCell(7).setCellValue(p.baselineVersion());
            }
            number(row, 8, p.centreDb(), db);
            number(row, 9, p.lclDb(), db);
            number(row, 10, p.uclDb(), db);
            number(row, 11, p.z(), null);
            row.createCell(12).setCellValue(p.violations());
            if (!p.violations().isEmpty()) {
                row.getCell(5).setCellStyle(flagged);
                row.getCell(12).setCellStyle(flagged);
            }
        }
        if (points.isEmpty()) {
            sheet.createRow(1).createCell(0).setCellValue("No hourly subgroup in the report's scope.");
            return;
        }
        sheet.setAutoFilter(new CellRangeAddress(0, r - 1, 0, HEADERS.size() - 1));
        chartOfFirst(sheet, points);
    }

    /** A line chart of the rows of the first product × station × channel (they come sorted by it, then by hour). */
    private static void chartOfFirst(XSSFSheet sheet, List<Point> points) {
        Point first = points.get(0);
        int last = 1;
        while (last < points.size() && points.get(last).product().equals(first.product()) && points.get(last).station().equals(first.station())
                && points.get(last).channel() == first.channel()) {
            last++;
        }
        XSSFDrawing drawing = sheet.createDrawingPatriarch();
        XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, 14, 0, 26, 20));
        chart.setTitleText("X̄ chart: " + first.product() + " at " + first.station() + ", channel " + first.channel());
        chart.setTitleOverlay(false);
        chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
        XDDFCategoryAxis hours = chart.createCategoryAxis(AxisPosition.BOTTOM);
        hours.setTitle("Hour (UTC)");
        XDDFValueAxis loss = chart.createValueAxis(AxisPosition.LEFT);
        loss.setTitle("Coupling loss (dB)");
        loss.setCrosses(AxisCrosses.AUTO_ZERO);
        XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, hours, loss);
        XDDFDataSource<String> x = XDDFDataSourcesFactory.fromStringCellRange(sheet, new CellRangeAddress(1, last, 3, 3));
        String[] titles = {"Mean", "Centre", "LCL", "UCL"};
        int[] columns = {5, 8, 9, 10};
        for (int i = 0; i < titles.length; i++) {
            XDDFLineChartData.Series s = (XDDFLineChartData.Series) data.addSeries(x,
                    XDDFDataSourcesFactory.fromNumericCellRange(sheet, new CellRangeAddress(1, last, columns[i], columns[i])));
            s.setTitle(titles[i], null);
            s.setSmooth(false);
            s.setMarkerStyle(i == 0 ? MarkerStyle.CIRCLE : MarkerStyle.NONE);
        }
        chart.plot(data);
    }

    private static void number(Row row, int column, Double value, CellStyle style) {
        if (value == null || !Double.isFinite(value)) {
            return;
        }
        row.createCell(column).setCellValue(value);
        if (style != null) {
            row.getCell(column).setCellStyle(style);
        }
    }
}
