package com.cpo.platform.report;

import java.util.List;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The "DPAT outliers" sheet of the yield workbook: each channel of a passing run outside its robust limits, with the limits
 * that applied (median ± k × robust σ of its lot, or of its station's last runs) and the population they came from.
 */
public final class DpatSheet {

    public static final String SHEET = "DPAT outliers";
    public static final List<String> HEADERS = List.of("Serial", "Lot", "Station", "Run start", "Channel", "Final coupling loss (dB)",
            "Median (dB)", "Robust σ (dB)", "Lower (dB)", "Upper (dB)", "k", "Population", "Basis");

    /**
     * One channel outside.
     *
     * @param runStart on the plant's clock, as text
     */
    public record Row(String serial, String lot, String station, String runStart, int channel, double valueDb, double medianDb,
            double robustSigmaDb, double lowerDb, double upperDb, double k, int population, String basis) {
    }

    private DpatSheet() {
    }

    public static void write(XSSFWorkbook workbook, List<Row> rows, String note) {
        XSSFSheet sheet = workbook.createSheet(SHEET);
        CellStyle bold = workbook.createCellStyle();
        Font font = workbook.createFont();
        font.setBold(true);
        bold.setFont(font);
        CellStyle decimal = workbook.createCellStyle();
        decimal.setDataFormat(workbook.createDataFormat().getFormat("0.000"));
        sheet.createRow(0).createCell(0).setCellValue(note);
        XSSFRow header = sheet.createRow(1);
        for (int i = 0; i < HEADERS.size(); i++) {
            header.createCell(i).setCellValue(HEADERS.get(i));
            header.getCell(i).setCellStyle(bold);
            sheet.setColumnWidth(i, (i == 0 ? 22 : 13) * 256);
        }
        int r = 2;
        for (Row row : rows) {
            XSSFRow x = sheet.createRow(r++);
            x.createCell(0).setCellValue(row.serial());
            x.createCell(1).setCellValue(row.lot());
            x.createCell(2).setCellValue(row.station());
            x.createCell(3).setCellValue(row.runStart());
            x.createCell(4).setCellValue(row.channel());
            double[] numbers = {row.valueDb(), row.medianDb(), row.robustSigmaDb(), row.lowerDb(), row.upperDb()};
            for (int i = 0; i < numbers.length; i++) {
                x.createCell(5 + i).setCellValue(numbers[i]);
                x.getCell(5 + i).setCellStyle(decimal);
            }
            x.createCell(10).setCellValue(row.k());
            x.createCell(11).setCellValue(row.population());
            x.createCell(12).setCellValue(row.basis());
        }
        sheet.createFreezePane(1, 2);
    }
}
