package com.cpo.platform.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.cpo.platform.report.LimitLine;

class LimitSheetTest {

    @Test
    void writtenSheetReadsBackToTheSameLimits() throws IOException {
        // given
        List<LimitLine> limits = List.of(
                new LimitLine("coupling_loss", null, null, 2.0, "dB", "every channel, every step"),
                new LimitLine("coupling_loss", 7, null, 1.8, "dB", null),
                new LimitLine("bias_drift", null, -5.0, 5.0, "%", "+SUM(A1) stays text"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // when
        LimitSheet.write(limits, out);
        LimitSheet.Parsed parsed = LimitSheet.read(new ByteArrayInputStream(out.toByteArray()));

        // then
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.limits()).isEqualTo(limits);
    }

    @Test
    void formulaCellsAndDuplicateLimitsAreErrorsOfTheirCell() throws IOException {
        // given
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Sheet sheet = workbook.createSheet();
            Row header = sheet.createRow(0);
            for (int c = 0; c < LimitSheet.HEADERS.size(); c++) {
                header.createCell(c).setCellValue(LimitSheet.HEADERS.get(c));
            }
            Row first = sheet.createRow(1);
            first.createCell(0).setCellValue("pdl");
            first.createCell(3).setCellFormula("0.25*2");
            first.createCell(4).setCellValue("dB");
            Row second = sheet.createRow(2);
            second.createCell(0).setCellValue("cure_shift");
            second.createCell(3).setCellValue(0.3);
            second.createCell(4).setCellValue("dB");
            Row third = sheet.createRow(3);
            third.createCell(0).setCellValue("cure_shift");
            third.createCell(3).setCellValue(0.4);
            third.createCell(4).setCellValue("dB");
            workbook.write(out);
        }

        // when
        LimitSheet.Parsed parsed = LimitSheet.read(new ByteArrayInputStream(out.toByteArray()));

        // then
        assertThat(parsed.limits()).isEmpty();
        assertThat(parsed.errors()).extracting(LimitSheet.CellError::text).containsExactly(
                "row 2, column 'Upper limit': is a formula; enter the value itself",
                "row 4, column 'Channel (blank = all)': 'cure_shift' on all channels is already limited in row 3");
    }

    @Test
    void somethingElseThanAWorkbookIsOneError() throws IOException {
        // when
        LimitSheet.Parsed parsed = LimitSheet.read(new ByteArrayInputStream("Parameter;Channel".getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(parsed.errors()).singleElement().extracting(LimitSheet.CellError::message)
                .isEqualTo("the body is not an .xlsx workbook");
    }

    @Test
    void wrongHeaderIsReportedPerColumn() throws IOException {
        // given
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Row header = workbook.createSheet().createRow(0);
            List<String> headers = List.of("Parameter", "Channel", "Min", "Upper limit", "Unit", "Description");
            for (int c = 0; c < headers.size(); c++) {
                header.createCell(c).setCellValue(headers.get(c));
            }
            workbook.write(out);
        }

        // when
        LimitSheet.Parsed parsed = LimitSheet.read(new ByteArrayInputStream(out.toByteArray()));

        // then
        assertThat(parsed.errors()).extracting(LimitSheet.CellError::text)
                .containsExactly("row 1, column 'Lower limit': expected the header 'Lower limit' but found 'Min'");
    }
}
