package com.cpo.platform.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The one-sheet Excel form of a limit set that engineers keep: header row {@link #HEADERS}, then one limit
 * per row. Reading checks every cell and reports every problem by row (as Excel numbers it) and column,
 * so a sheet with errors can be fixed in one pass; a sheet with any error yields no limits at all.
 */
public final class LimitSheet {

    public static final String SHEET = "Limits";
    public static final List<String> HEADERS = List.of("Parameter", "Channel (blank = all)", "Lower limit",
            "Upper limit", "Unit", "Description");

    private static final int PARAMETER = 0;
    private static final int CHANNEL = 1;
    private static final int LOWER = 2;
    private static final int UPPER = 3;
    private static final int UNIT = 4;
    private static final int DESCRIPTION = 5;
    private static final int[] WIDTHS = {20, 22, 12, 12, 8, 60};

    /** Limits a sheet may hold at most, as a JSON draft may. */
    public static final int MAX_ROWS = 2000;
    /** A part of the workbook may expand to this many bytes at most (a sheet of 2,000 limits is well under 1 MB). */
    public static final long MAX_PART_BYTES = 10L << 20;

    static {
        // refuse a zip bomb while unpacking, before a byte of it is parsed: a part that expands more than 100 times
        // (POI's own guard, kept) or beyond MAX_PART_BYTES
        org.apache.poi.openxml4j.util.ZipSecureFile.setMinInflateRatio(0.01);
        org.apache.poi.openxml4j.util.ZipSecureFile.setMaxEntrySize(MAX_PART_BYTES);
    }

    private LimitSheet() {
    }

    /**
     * A problem in an imported sheet.
     *
     * @param row 1-based, as Excel shows it
     * @param column the header of the column, or null for a problem with the whole sheet
     */
    public record CellError(int row, String column, String message) {

        /** E.g. {@code row 7, column 'Upper limit': 'abc' is not a number}. */
        public String text() {
            return column == null ? "row " + row + ": " + message : "row " + row + ", column '" + column + "': " + message;
        }
    }

    /** What an import found: the limits when {@code errors} is empty, otherwise nothing usable. */
    public record Parsed(List<LimitLine> limits, List<CellError> errors) {
    }

    /** All parts of a workbook together may expand to this many bytes at most; POI parses every sheet whole. */
    public static final long MAX_EXPANDED_BYTES = 20L << 20;
    /** A workbook may have this many parts at most (a one-sheet workbook from Excel has about a dozen). */
    public static final int MAX_PARTS = 200;

    /**
     * Reads an uploaded workbook: its parts are first inflated and counted, without keeping them, so a workbook that
     * expands beyond {@link #MAX_EXPANDED_BYTES} in all (or holds more than {@link #MAX_PARTS} parts) is refused before POI
     * builds anything in memory; then as {@link #read(InputStream)}.
     */
    public static Parsed read(byte[] xlsx) throws IOException {
        long expanded = 0;
        int parts = 0;
        byte[] buffer = new byte[64 * 1024];
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(xlsx))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (++parts > MAX_PARTS) {
                    return refused("refused: the workbook has more than " + MAX_PARTS + " parts; a limit sheet has about a dozen");
                }
                for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
                    expanded += n;
                    if (expanded > MAX_EXPANDED_BYTES) {
                        return refused("refused: the workbook expands beyond " + (MAX_EXPANDED_BYTES >> 20) + " MiB (a zip bomb?); "
                                + "a limit sheet of 2,000 limits expands to about 1 MiB");
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return refused("the body is not an .xlsx workbook");
        }
        return read(new java.io.ByteArrayInputStream(xlsx));
    }

    private static Parsed refused(String message) {
        return new Parsed(List.of(), List.of(new CellError(0, null, message)));
    }

    /** Reads the first sheet of an .xlsx workbook. */
    public static Parsed read(InputStream xlsx) throws IOException {
        XSSFWorkbook workbook;
        try {
            workbook = new XSSFWorkbook(xlsx);
        } catch (org.apache.poi.ooxml.POIXMLException | IllegalArgumentException | IOException e) {
            if (zipBomb(e)) {
                return new Parsed(List.of(), List.of(new CellError(0, null, "refused: a part of the workbook expands more than 100 times "
                        + "its packed size or beyond " + (MAX_PART_BYTES >> 20) + " MiB (a zip bomb?); a limit sheet is small")));
            }
            // NotOfficeXmlFileException and EmptyFileException are IllegalArgumentExceptions.
            return new Parsed(List.of(), List.of(new CellError(0, null, "the body is not an .xlsx workbook")));
        }
        try (workbook) {
            Sheet sheet = workbook.getSheetAt(0);
            if (sheet.getLastRowNum() > MAX_ROWS) {
                return new Parsed(List.of(), List.of(new CellError(sheet.getLastRowNum() + 1, null, "the sheet has rows up to "
                        + (sheet.getLastRowNum() + 1) + "; a limit set has " + MAX_ROWS + " limits at most")));
            }
            return read(sheet);
        }
    }

    private static boolean zipBomb(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Zip bomb") || m.contains("exceeds the max entry size") || m.contains("max entry size")) {
                return true;
            }
        }
        return false;
    }

    private static Parsed read(Sheet sheet) {
        List<CellError> errors = new ArrayList<>();
        Row header = sheet.getRow(0);
        for (int c = 0; c < HEADERS.size(); c++) {
            String found = header == null ? "" : text(header.getCell(c));
            String expected = HEADERS.get(c);
            // "Channel" alone is accepted too: the explanation in brackets is for people.
            boolean ok = found.equalsIgnoreCase(expected) || (c == CHANNEL && found.equalsIgnoreCase("Channel"));
            if (!ok) {
                errors.add(new CellError(1, expected, "expected the header '" + expected + "' but found '" + found + "'"));
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(List.of(), errors);
        }
        List<LimitLine> limits = new ArrayList<>();
        Map<String, Integer> rowOfKey = new HashMap<>();
        for (int r = 1; r <= sheet.getLastRowNum(); r++) {
            Row row = sheet.getRow(r);
            if (row == null || isBlank(row)) {
                continue;
            }
            int excelRow = r + 1;
            int before = errors.size();
            String parameter = requiredText(row, PARAMETER, 64, excelRow, errors);
            Double channel = number(row, CHANNEL, excelRow, errors);
            Integer channelNumber = null;
            if (channel != null) {
                if (channel != Math.rint(channel) || channel < 0 || channel > 1023) {
                    errors.add(error(excelRow, CHANNEL, "'" + text(row.getCell(CHANNEL)) + "' is not a channel number (0-1023)"));
                } else {
                    channelNumber = channel.intValue();
                }
            }
            Double lower = number(row, LOWER, excelRow, errors);
            Double upper = number(row, UPPER, excelRow, errors);
            String unit = requiredText(row, UNIT, 16, excelRow, errors);
            String description = optionalText(row, DESCRIPTION, 1000, excelRow, errors);
            if (errors.size() == before) {
                if (lower == null && upper == null) {
                    errors.add(error(excelRow, UPPER, "a limit needs a lower limit, an upper limit or both"));
                } else if (lower != null && upper != null && lower > upper) {
                    errors.add(error(excelRow, LOWER, lower + " is above the upper limit " + upper));
                }
                String key = parameter.toLowerCase(Locale.ROOT) + "#" + channelNumber;
                Integer first = rowOfKey.putIfAbsent(key, excelRow);
                if (first != null) {
                    errors.add(error(excelRow, CHANNEL, "'" + parameter + "' on "
                            + (channelNumber == null ? "all channels" : "channel " + channelNumber)
                            + " is already limited in row " + first));
                }
            }
            if (errors.size() == before) {
                limits.add(new LimitLine(parameter, channelNumber, lower, upper, unit, description));
            }
        }
        if (errors.isEmpty() && limits.isEmpty()) {
            errors.add(new CellError(2, null, "the sheet has no limits below its header row"));
        }
        return errors.isEmpty() ? new Parsed(List.copyOf(limits), List.of()) : new Parsed(List.of(), errors);
    }

    /** Writes limits as the one sheet that {@link #read} accepts. */
    public static void write(List<LimitLine> limits, OutputStream out) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Sheet sheet = workbook.createSheet(SHEET);
            Font bold = workbook.createFont();
            bold.setBold(true);
            CellStyle header = workbook.createCellStyle();
            header.setFont(bold);
            CellStyle number = workbook.createCellStyle();
            number.setDataFormat(workbook.createDataFormat().getFormat("0.000"));
            Row head = sheet.createRow(0);
            for (int c = 0; c < HEADERS.size(); c++) {
                Cell cell = head.createCell(c);
                cell.setCellValue(HEADERS.get(c));
                cell.setCellStyle(header);
                sheet.setColumnWidth(c, WIDTHS[c] * 256);
            }
            int r = 1;
            for (LimitLine limit : limits) {
                Row row = sheet.createRow(r++);
                // setCellValue(String) makes a string cell: text never becomes a formula.
                row.createCell(PARAMETER).setCellValue(limit.parameter());
                if (limit.channel() != null) {
                    row.createCell(CHANNEL).setCellValue(limit.channel());
                }
                if (limit.lowerLimit() != null) {
                    Cell cell = row.createCell(LOWER);
                    cell.setCellValue(limit.lowerLimit());
                    cell.setCellStyle(number);
                }
                if (limit.upperLimit() != null) {
                    Cell cell = row.createCell(UPPER);
                    cell.setCellValue(limit.upperLimit());
                    cell.setCellStyle(number);
                }
                row.createCell(UNIT).setCellValue(limit.unitOfMeasure());
                if (limit.description() != null) {
                    row.createCell(DESCRIPTION).setCellValue(limit.description());
                }
            }
            sheet.createFreezePane(0, 1);
            sheet.setAutoFilter(new CellRangeAddress(0, Math.max(0, r - 1), 0, HEADERS.size() - 1));
            workbook.write(out);
        }
    }

    private static boolean isBlank(Row row) {
        for (int c = 0; c < HEADERS.size(); c++) {
            if (!text(row.getCell(c)).isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String requiredText(Row row, int column, int maxLength, int excelRow, List<CellError> errors) {
        String value = optionalText(row, column, maxLength, excelRow, errors);
        if (value == null && !isFormula(row.getCell(column))) {
            errors.add(error(excelRow, column, "is empty"));
        }
        return value;
    }

    private static String optionalText(Row row, int column, int maxLength, int excelRow, List<CellError> errors) {
        Cell cell = row.getCell(column);
        if (isFormula(cell)) {
            errors.add(error(excelRow, column, "is a formula; enter the value itself"));
            return null;
        }
        String value = text(cell).strip();
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            errors.add(error(excelRow, column, "is longer than " + maxLength + " characters"));
            return null;
        }
        return value;
    }

    /** A numeric cell's value, or text that parses as a number; null when blank. */
    private static Double number(Row row, int column, int excelRow, List<CellError> errors) {
        Cell cell = row.getCell(column);
        if (isFormula(cell)) {
            errors.add(error(excelRow, column, "is a formula; enter the value itself"));
            return null;
        }
        if (cell != null && cell.getCellType() == CellType.NUMERIC) {
            return cell.getNumericCellValue();
        }
        String text = text(cell).strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.replace(',', '.'));
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(error(excelRow, column, "'" + text + "' is not a number"));
        return null;
    }

    private static boolean isFormula(Cell cell) {
        return cell != null && cell.getCellType() == CellType.FORMULA;
    }

    private static String text(Cell cell) {
        if (cell == null) {
            return "";
        }
        return cell.getCellType() == CellType.STRING ? cell.getStringCellValue() : new DataFormatter().formatCellValue(cell);
    }

    private static CellError error(int excelRow, int column, String message) {
        return new CellError(excelRow, HEADERS.get(column), message);
    }
}
