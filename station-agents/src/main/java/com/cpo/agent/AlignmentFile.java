package com.cpo.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import com.cpo.domain.Identifiers;
import com.cpo.events.AlignmentStep;

/**
 * The active-alignment result file a tester writes per unit run (format 1, documented in
 * {@code station-agents/README.md}): a {@code [header]} block of {@code key=value} lines, a
 * {@code [results]} CSV block with one row per step and channel, and an {@code [end]} marker whose
 * absence means the file is truncated.
 */
public record AlignmentFile(Path path, Map<String, String> header, int headerLine, Map<AlignmentStep, List<Row>> steps,
        Map<AlignmentStep, Integer> stepLines, int endLine, Map<AlignmentStep, List<ScanRow>> scans) {

    /** Header keys every file must have. */
    public static final List<String> REQUIRED_HEADER = List.of("serial", "lot", "product", "station", "operator", "limit_set", "attempt",
            "start", "end", "channels");
    public static final List<String> RESULT_COLUMNS = List.of("step", "channel", "coupling_loss_db", "pdl_db");
    public static final List<String> SCAN_COLUMNS = List.of("step", "channel", "x_um", "y_um", "power_dbm");
    public static final String SUFFIX = ".align";
    /** Optional header keys: the unit's genealogy (PIC wafer and die, fiber array unit), identifiers when present. */
    public static final List<String> GENEALOGY = List.of("pic_wafer", "pic_die", "fiber_array");
    /** Most scan points one step may have: a larger scan is refused (it would not fit one event). */
    public static final int MAX_SCAN_POINTS_PER_STEP = com.cpo.schemas.StationEventCheck.MAX_SCAN_POINTS;

    /** One point of the power-vs-position scan: channel, fiber position (µm from the peak) and coupled power (dBm). */
    public record ScanRow(int channel, double xUm, double yUm, double powerDbm) {
    }

    /** A genealogy header value, or null when the tester did not write it. */
    public String genealogy(String key) {
        String value = header.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * One result row.
     *
     * @param line 1-based line in the file
     * @param channel 1-based channel
     * @param couplingLossDb coupling loss, dB
     * @param pdlDb polarization-dependent loss, dB, or null when not measured
     */
    public record Row(int line, int channel, double couplingLossDb, Double pdlDb) {
    }

    public String serial() {
        return header.get("serial");
    }

    public int attempt() {
        return Integer.parseInt(header.get("attempt"));
    }

    public Instant start() {
        return Instant.parse(header.get("start"));
    }

    public Instant end() {
        return Instant.parse(header.get("end"));
    }

    public int channels() {
        return Integer.parseInt(header.get("channels"));
    }

    public boolean aborted() {
        return Boolean.parseBoolean(header.getOrDefault("aborted", "false"));
    }

    /** Header fields that name things and follow the domain's identifier rule ({@link Identifiers}). */
    static final List<String> IDENTIFIERS = List.of("serial", "lot", "product", "station");

    /** Largest result file read, bytes: a larger one is quarantined unread (a scan of a few thousand points is ~100 kB). */
    public static final long MAX_BYTES = 16L << 20;

    /** Reads and validates a file. */
    public static AlignmentFile read(Path path) throws IOException, TesterFileException {
        long size = Files.size(path);
        if (size > MAX_BYTES) {
            throw tooLarge(path, size);
        }
        return parse(path, decode(path, Files.readAllBytes(path)));
    }

    static TesterFileException tooLarge(Path path, long size) {
        return new TesterFileException(path, 0, null, "the file is " + size + " bytes; result files over " + MAX_BYTES
                + " bytes are refused unread");
    }

    /** The file's text, refusing bytes that are not UTF-8 (the line of the first bad byte is named). */
    public static String decode(Path path, byte[] content) throws TesterFileException {
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (content[i] == '\n') {
                    line++;
                }
            }
            throw new TesterFileException(path, line, null, "not valid UTF-8 text (byte offset " + in.position() + ")");
        }
        return out.flip().toString();
    }

    static AlignmentFile parse(Path path, String content) throws TesterFileException {
        Map<String, String> header = new LinkedHashMap<>();
        Map<String, Integer> headerLines = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder();
        int headerLine = 0;
        int resultsLine = 0;
        int endLine = 0;
        String section = null;
        Map<AlignmentStep, List<ScanRow>> scans = new EnumMap<>(AlignmentStep.class);
        List<String> lines = content.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                if (section != null && section.equals("results")) {
                    csv.append('\n'); // keep CSV line numbers aligned with the file's
                }
                continue;
            }
            if (endLine > 0) {
                throw new TesterFileException(path, lineNo, null, "content after [end]");
            }
            switch (line) {
                case "[header]" -> {
                    section = "header";
                    headerLine = lineNo;
                    continue;
                }
                case "[results]" -> {
                    section = "results";
                    resultsLine = lineNo;
                    continue;
                }
                case "[scan]" -> {
                    section = "scan";
                    continue;
                }
                case "[end]" -> {
                    endLine = lineNo;
                    section = "end";
                    continue;
                }
                default -> {
                }
            }
            if (section == null) {
                throw new TesterFileException(path, lineNo, null, "expected [header] before any content, found '" + abbreviate(line) + "'");
            }
            if (section.equals("scan")) {
                scanLine(path, lineNo, line, scans);
                continue;
            }
            if (section.equals("header")) {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new TesterFileException(path, lineNo, null, "header line is not key=value: '" + abbreviate(line) + "'");
                }
                String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                header.put(key, line.substring(eq + 1).strip());
                headerLines.put(key, lineNo);
            } else {
                csv.append(lines.get(i)).append('\n');
            }
        }
        if (headerLine == 0) {
            throw new TesterFileException(path, 0, null, "no [header] section");
        }
        if (resultsLine == 0) {
            throw new TesterFileException(path, 0, null, "no [results] section (truncated file?)");
        }
        if (endLine == 0) {
            throw new TesterFileException(path, lines.size(), null, "no [end] marker: the file is truncated or still being written");
        }
        for (String key : REQUIRED_HEADER) {
            if (!header.containsKey(key) || header.get(key).isEmpty()) {
                throw new TesterFileException(path, headerLine, key, "required header field missing or empty");
            }
        }
        for (String key : IDENTIFIERS) {
            String problem = Identifiers.problem(key, header.get(key));
            if (problem != null) {
                throw new TesterFileException(path, headerLines.get(key), key, problem);
            }
        }
        for (String key : GENEALOGY) {
            String value = header.get(key);
            String problem = value == null || value.isEmpty() ? null : Identifiers.problem(key, value);
            if (problem != null) {
                throw new TesterFileException(path, headerLines.get(key), key, problem);
            }
        }
        checkInstant(path, header, headerLines, "start");
        checkInstant(path, header, headerLines, "end");
        int channels = checkInt(path, header, headerLines, "channels", 1, 64);
        checkInt(path, header, headerLines, "attempt", 1, 1000);
        Map<AlignmentStep, List<Row>> steps = new EnumMap<>(AlignmentStep.class);
        Map<AlignmentStep, Integer> stepLines = new EnumMap<>(AlignmentStep.class);
        parseResults(path, csv.toString(), resultsLine, channels, steps, stepLines);
        for (Map.Entry<AlignmentStep, List<ScanRow>> scan : scans.entrySet()) {
            if (!steps.containsKey(scan.getKey())) {
                throw new TesterFileException(path, 0, "step", "the scan has points of step " + scan.getKey() + ", which has no results");
            }
            for (ScanRow row : scan.getValue()) {
                if (row.channel() < 1 || row.channel() > channels) {
                    throw new TesterFileException(path, 0, "channel", "scan of step " + scan.getKey() + " names channel " + row.channel()
                            + ", outside 1.." + channels + " (header channels=" + channels + ")");
                }
            }
        }
        return new AlignmentFile(path, header, headerLine, steps, stepLines, endLine, scans);
    }

    private static void parseResults(Path path, String csv, int resultsLine, int channels, Map<AlignmentStep, List<Row>> steps,
            Map<AlignmentStep, Integer> stepLines) throws TesterFileException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(new BufferedReader(new StringReader(csv)), format)) {
            List<String> columns = parser.getHeaderNames();
            if (!columns.containsAll(RESULT_COLUMNS.subList(0, 3))) {
                throw new TesterFileException(path, resultsLine + 1, null,
                        "results header must name columns " + RESULT_COLUMNS + ", found " + columns);
            }
            boolean hasPdl = columns.contains("pdl_db");
            for (CSVRecord record : parser) {
                int lineNo = resultsLine + 1 + newlinesBefore(csv, record.getCharacterPosition());
                if (!record.isConsistent()) {
                    throw new TesterFileException(path, lineNo, null, "expected " + columns.size() + " columns, found " + record.size());
                }
                AlignmentStep step;
                try {
                    step = AlignmentStep.valueOf(record.get("step").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new TesterFileException(path, lineNo, "step", "'" + record.get("step") + "' is not one of " + List.of(AlignmentStep.values()));
                }
                int channel = parseInt(path, lineNo, "channel", record.get("channel"));
                if (channel < 1 || channel > channels) {
                    throw new TesterFileException(path, lineNo, "channel", channel + " is outside 1.." + channels + " (header channels=" + channels + ")");
                }
                double loss = parseDouble(path, lineNo, "coupling_loss_db", record.get("coupling_loss_db"));
                Double pdl = hasPdl && !record.get("pdl_db").isEmpty() ? parseDouble(path, lineNo, "pdl_db", record.get("pdl_db")) : null;
                steps.computeIfAbsent(step, s -> new ArrayList<>()).add(new Row(lineNo, channel, loss, pdl));
                stepLines.putIfAbsent(step, lineNo);
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new TesterFileException(path, resultsLine, null, "unreadable results: " + e.getMessage());
        }
        for (Map.Entry<AlignmentStep, List<Row>> step : steps.entrySet()) {
            Set<Integer> seen = new java.util.HashSet<>();
            for (Row row : step.getValue()) {
                if (!seen.add(row.channel())) {
                    throw new TesterFileException(path, row.line(), "channel", "channel " + row.channel() + " appears twice in step " + step.getKey());
                }
            }
            if (seen.size() != channels) {
                throw new TesterFileException(path, stepLines.get(step.getKey()), "channel",
                        "step " + step.getKey() + " has " + seen.size() + " channels, header says " + channels);
            }
        }
        if (steps.isEmpty()) {
            throw new TesterFileException(path, resultsLine, null, "no result rows");
        }
    }

    /** One line of the optional power-vs-position scan, checked value by value and kept with its step. */
    private static void scanLine(Path path, int lineNo, String line, Map<AlignmentStep, List<ScanRow>> scans) throws TesterFileException {
        String[] f = line.split(",", -1);
        if (f.length != SCAN_COLUMNS.size()) {
            throw new TesterFileException(path, lineNo, null, "scan rows have " + SCAN_COLUMNS.size() + " columns " + SCAN_COLUMNS + ", found " + f.length);
        }
        if (f[0].strip().equals("step")) {
            return; // the scan's CSV header
        }
        AlignmentStep step;
        try {
            step = AlignmentStep.valueOf(f[0].strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TesterFileException(path, lineNo, "step", "'" + f[0] + "' is not one of " + List.of(AlignmentStep.values()));
        }
        int channel = parseInt(path, lineNo, "channel", f[1]);
        ScanRow row = new ScanRow(channel, parseDouble(path, lineNo, "x_um", f[2]), parseDouble(path, lineNo, "y_um", f[3]),
                parseDouble(path, lineNo, "power_dbm", f[4]));
        List<ScanRow> points = scans.computeIfAbsent(step, k -> new ArrayList<>());
        if (points.size() >= MAX_SCAN_POINTS_PER_STEP) {
            throw new TesterFileException(path, lineNo, null, "the scan of step " + step + " has more than " + MAX_SCAN_POINTS_PER_STEP
                    + " points; a scan that large is refused (it would not fit one event)");
        }
        points.add(row);
    }

    private static int newlinesBefore(String text, long position) {
        int count = 0;
        for (int i = 0; i < position && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }

    private static void checkInstant(Path path, Map<String, String> header, Map<String, Integer> lines, String key) throws TesterFileException {
        try {
            Instant.parse(header.get(key));
        } catch (DateTimeParseException e) {
            throw new TesterFileException(path, lines.get(key), key, "'" + header.get(key) + "' is not an ISO-8601 UTC instant like 2026-11-24T06:43:12.123Z");
        }
    }

    private static int checkInt(Path path, Map<String, String> header, Map<String, Integer> lines, String key, int min, int max)
            throws TesterFileException {
        int value = parseInt(path, lines.get(key), key, header.get(key));
        if (value < min || value > max) {
            throw new TesterFileException(path, lines.get(key), key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static int parseInt(Path path, int line, String field, String text) throws TesterFileException {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new TesterFileException(path, line, field, "'" + text + "' is not a whole number");
        }
    }

    private static double parseDouble(Path path, int line, String field, String text) throws TesterFileException {
        try {
            double value = Double.parseDouble(text.strip());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new TesterFileException(path, line, field, "'" + text + "' is not a finite decimal number (" + (field.endsWith("_um") ? "µm" : field.endsWith("_dbm") ? "dBm" : "dB") + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
