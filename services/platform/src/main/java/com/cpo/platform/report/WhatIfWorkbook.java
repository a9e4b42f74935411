package com.cpo.platform.report;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import com.cpo.domain.FailedCheck;
import com.cpo.domain.WhatIf;

/**
 * The what-if workbook: "What-if" (per station and channel, FPY, final yield and Cpk with the version in force and with the
 * draft, side by side), "Flipped runs" (every run whose verdict the draft changes, with the checks that flip it, streamed as
 * the runs are judged) and "Definitions". Times on the plant's clock.
 */
public final class WhatIfWorkbook implements AutoCloseable {

    public static final String SUMMARY_SHEET = "What-if";
    public static final String FLIPS_SHEET = "Flipped runs";
    private static final String[] SUMMARY_HEADER = {"Station", "Channel", "Units", "FPY in force", "FPY draft", "Final yield in force",
        "Final yield draft", "Values (" + WhatIf.CAPABILITY_STEP + ")", "Mean (dB)", "σ (dB)", "USL in force (dB)", "USL draft (dB)",
        "Cpk in force", "Cpk draft"};
    private static final String[] FLIPS_HEADER = {"Serial", "Station", "Run start", "Attempt", "In force", "Draft", "Checks that flip it"};

    private final SXSSFWorkbook workbook = new SXSSFWorkbook(200);
    private final SXSSFSheet summary;
    private final SXSSFSheet flips;
    private final CellStyle header;
    private final CellStyle percent;
    private final CellStyle decimal;
    private final DateTimeFormatter times;
    private int flipRow = 1;

    /** @param zone the plant's time zone, for run starts */
    public WhatIfWorkbook(ZoneId zone) {
        summary = workbook.createSheet(SUMMARY_SHEET);
        flips = workbook.createSheet(FLIPS_SHEET);
        header = workbook.createCellStyle();
        Font bold = workbook.createFont();
        bold.setBold(true);
        header.setFont(bold);
        percent = workbook.createCellStyle();
        percent.setDataFormat(workbook.createDataFormat().getFormat("0.00%"));
        decimal = workbook.createCellStyle();
        decimal.setDataFormat(workbook.createDataFormat().getFormat("0.000"));
        times = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        headerRow(flips, FLIPS_HEADER);
        flips.createFreezePane(0, 1);
    }

    /** Adds flipped runs as they are found. */
    public void flips(List<WhatIf.Flip> found) {
        for (WhatIf.Flip f : found) {
            if (flipRow > 1_048_575) {
                return; // Excel's last row; the JSON result has the count
            }
            Row row = flips.createRow(flipRow++);
            row.createCell(0).setCellValue(f.serial());
            row.createCell(1).setCellValue(f.station());
            row.createCell(2).setCellValue(times.format(f.start()));
            row.createCell(3).setCellValue(f.attempt());
            row.createCell(4).setCellValue(f.inForce().name());
            row.createCell(5).setCellValue(f.draft().name());
            row.createCell(6).setCellValue(describe(f.checks()));
        }
    }

    /** A flip's checks as a line, e.g. "coupling_loss POST_THERMAL ch 2 = 1.200 dB > 1.000". */
    public static String describe(List<FailedCheck> checks) {
        return checks.stream().map(c -> c.parameter() + (c.step() == null ? "" : " " + c.step()) + (c.channel() == null ? "" : " ch " + c.channel())
                + " = " + String.format(java.util.Locale.ROOT, "%.3f", c.value()) + " " + c.unitOfMeasure()
                + (c.upper() != null && c.value() > c.upper() ? " > " + c.upper() : c.lower() != null && c.value() < c.lower() ? " < " + c.lower() : ""))
                .collect(Collectors.joining("; "));
    }

    /** Writes the summary with a title line, then the file to {@code out} (left open). */
    public void write(String title, List<WhatIf.Row> rows, List<String> definitions, OutputStream out) throws IOException {
        Row t = summary.createRow(0);
        t.createCell(0).setCellValue(title);
        t.getCell(0).setCellStyle(header);
        Row h = summary.createRow(1);
        for (int i = 0; i < SUMMARY_HEADER.length; i++) {
            h.createCell(i).setCellValue(SUMMARY_HEADER[i]);
            h.getCell(i).setCellStyle(header);
        }
        int r = 2;
        for (WhatIf.Row row : rows) {
            Row x = summary.createRow(r++);
            x.createCell(0).setCellValue(row.station() == null ? "all stations" : row.station());
            x.createCell(1).setCellValue(row.channel() == null ? "unit" : String.valueOf(row.channel()));
            x.createCell(2).setCellValue(row.units());
            number(x, 3, row.fpyInForce(), percent);
            number(x, 4, row.fpyDraft(), percent);
            number(x, 5, row.finalYieldInForce(), percent);
            number(x, 6, row.finalYieldDraft(), percent);
            x.createCell(7).setCellValue(row.values());
            number(x, 8, row.meanDb(), decimal);
            number(x, 9, row.sigmaDb(), decimal);
            number(x, 10, row.uslInForceDb() == null ? Double.NaN : row.uslInForceDb(), decimal);
            number(x, 11, row.uslDraftDb() == null ? Double.NaN : row.uslDraftDb(), decimal);
            number(x, 12, row.cpkInForce(), decimal);
            number(x, 13, row.cpkDraft(), decimal);
        }
        r++;
        for (String line : definitions) {
            summary.createRow(r++).createCell(0).setCellValue(line);
        }
        summary.createFreezePane(2, 2);
        workbook.write(out);
    }

    private static void number(Row row, int column, double value, CellStyle style) {
        if (Double.isNaN(value)) {
            row.createCell(column).setCellValue("—");
        } else {
            row.createCell(column).setCellValue(value);
            row.getCell(column).setCellStyle(style);
        }
    }

    private void headerRow(Sheet sheet, String[] names) {
        Row h = sheet.createRow(0);
        for (int i = 0; i < names.length; i++) {
            h.createCell(i).setCellValue(names[i]);
            h.getCell(i).setCellStyle(header);
        }
    }

    @Override
    public void close() {
        workbook.dispose();
        try {
            workbook.close();
        } catch (IOException e) {
            // temporary files are already gone (dispose)
        }
    }
}
