package com.cpo.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.cpo.domain.Identifiers;

/**
 * The burn-in log a rack appends to for days (format 1, documented in {@code station-agents/README.md}):
 * one line per record, comma-separated, no quoting, the record type first — {@code START} when a unit's
 * burn-in begins, {@code READ} per reading of a slot and channel, {@code END} when it ends.
 *
 * <p>Only complete lines (ending in a newline) are ever read; a partial last line is left for the next
 * read. A line is identified by its byte position in the file, which stays the same however often the
 * file is read again.
 */
public final class BurnInLog {

    public static final String SUFFIX = ".burnin";
    static final int MAX_CHUNK_BYTES = 4 << 20;

    private BurnInLog() {
    }

    /** A record of the log. */
    public sealed interface Record permits Start, Reading, End {
        /** Byte position of the line's first character. */
        long offset();

        /** 1-based line number. */
        long line();

        Instant time();

        int slot();

        String serial();

        int attempt();
    }

    /** {@code START,time,slot,serial,attempt,product,lot,operator,limit_set,channels}. */
    public record Start(long offset, long line, Instant time, int slot, String serial, int attempt, String product, String lot,
            String operator, String limitSetId, int channels) implements Record {
    }

    /** {@code READ,time,slot,serial,attempt,channel,power_dbm,bias_ma,case_temp_c}. */
    public record Reading(long offset, long line, Instant time, int slot, String serial, int attempt, int channel, double powerDbm,
            double biasCurrentMa, double caseTemperatureC) implements Record {
    }

    /** {@code END,time,slot,serial,attempt,readings,status} with status {@code COMPLETE} or {@code ABORTED}. */
    public record End(long offset, long line, Instant time, int slot, String serial, int attempt, int readings, boolean aborted)
            implements Record {
    }

    /** A complete line as read: where it starts, its number and its text (without the line break). */
    public record Line(long offset, long number, String text) {
    }

    /**
     * The complete lines from {@code position} on (at most about {@link #MAX_CHUNK_BYTES}).
     *
     * @param nextPosition where the next read starts: just after the last complete line
     * @param nextLine the number the next line will have
     */
    public record Chunk(List<Line> lines, long nextPosition, long nextLine) {
    }

    /** Reads the complete lines after {@code position}; {@code line} is the number of the line there. */
    public static Chunk read(Path file, long position, long line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= position) {
                return new Chunk(List.of(), position, line);
            }
            int length = (int) Math.min(MAX_CHUNK_BYTES, size - position);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    break;
                }
            }
            byte[] bytes = buffer.array();
            int filled = buffer.position();
            List<Line> lines = new ArrayList<>();
            int start = 0;
            long number = line;
            for (int i = 0; i < filled; i++) {
                if (bytes[i] == '\n') {
                    int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                    lines.add(new Line(position + start, number++, new String(bytes, start, end - start, StandardCharsets.UTF_8)));
                    start = i + 1;
                }
            }
            if (start == 0 && filled == MAX_CHUNK_BYTES) {
                // a "line" longer than a chunk is not a log line: hand it over whole so it gets quarantined
                lines.add(new Line(position, number++, new String(bytes, 0, filled, StandardCharsets.UTF_8)));
                start = filled;
            }
            return new Chunk(lines, position + start, number);
        }
    }

    /** Parses one line; null for a blank line or a {@code #} comment. */
    public static Record parse(Path file, Line line) throws TesterFileException {
        if (line.text().indexOf('\uFFFD') >= 0) {
            // the line was decoded leniently; a replacement character means bytes that are not UTF-8
            throw new TesterFileException(file, (int) Math.min(Integer.MAX_VALUE, line.number()), null, "not valid UTF-8 text");
        }
        String text = line.text().strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        String[] f = text.split(",", -1);
        String type = f[0].strip().toUpperCase(Locale.ROOT);
        long n = line.number();
        int ln = (int) Math.min(Integer.MAX_VALUE, n);
        switch (type) {
            case "START" -> {
                expect(file, ln, f, 10, "START,time,slot,serial,attempt,product,lot,operator,limit_set,channels");
                return new Start(line.offset(), n, time(file, ln, f[1]), integer(file, ln, "slot", f[2], 1, 4096), identifier(file, ln, "serial", f[3]),
                        integer(file, ln, "attempt", f[4], 1, 1000), identifier(file, ln, "product", f[5]), identifier(file, ln, "lot", f[6]),
                        text(file, ln, "operator", f[7]), text(file, ln, "limit_set", f[8]), integer(file, ln, "channels", f[9], 1, 64));
            }
            case "READ" -> {
                expect(file, ln, f, 9, "READ,time,slot,serial,attempt,channel,power_dbm,bias_ma,case_temp_c");
                return new Reading(line.offset(), n, time(file, ln, f[1]), integer(file, ln, "slot", f[2], 1, 4096), identifier(file, ln, "serial", f[3]),
                        integer(file, ln, "attempt", f[4], 1, 1000), integer(file, ln, "channel", f[5], 1, 64),
                        decimal(file, ln, "power_dbm", f[6], "dBm"), decimal(file, ln, "bias_ma", f[7], "mA"),
                        decimal(file, ln, "case_temp_c", f[8], "°C"));
            }
            case "END" -> {
                expect(file, ln, f, 7, "END,time,slot,serial,attempt,readings,status");
                String status = f[6].strip().toUpperCase(Locale.ROOT);
                if (!status.equals("COMPLETE") && !status.equals("ABORTED")) {
                    throw new TesterFileException(file, ln, "status", "'" + f[6] + "' is not COMPLETE or ABORTED");
                }
                return new End(line.offset(), n, time(file, ln, f[1]), integer(file, ln, "slot", f[2], 1, 4096), identifier(file, ln, "serial", f[3]),
                        integer(file, ln, "attempt", f[4], 1, 1000), integer(file, ln, "readings", f[5], 0, Integer.MAX_VALUE),
                        status.equals("ABORTED"));
            }
            default -> throw new TesterFileException(file, ln, "type", "'" + abbreviate(f[0]) + "' is not START, READ or END");
        }
    }

    private static void expect(Path file, int line, String[] f, int count, String layout) throws TesterFileException {
        if (f.length != count) {
            throw new TesterFileException(file, line, null, "expected " + count + " fields (" + layout + "), found " + f.length);
        }
    }

    /** The last time parsed: a rack writes every slot and channel of a reading with the same time stamp. */
    private static final ThreadLocal<Object[]> LAST_TIME = ThreadLocal.withInitial(() -> new Object[2]);

    private static Instant time(Path file, int line, String text) throws TesterFileException {
        Object[] last = LAST_TIME.get();
        if (text.equals(last[0])) {
            return (Instant) last[1];
        }
        try {
            Instant parsed = Instant.parse(text.strip());
            last[0] = text;
            last[1] = parsed;
            return parsed;
        } catch (DateTimeParseException e) {
            throw new TesterFileException(file, line, "time", "'" + abbreviate(text) + "' is not an ISO-8601 UTC instant like 2026-11-24T06:43:12Z");
        }
    }

    private static String text(Path file, int line, String field, String text) throws TesterFileException {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new TesterFileException(file, line, field, "empty");
        }
        return s;
    }

    /** A field that names something (serial, product, lot): the domain's identifier rule. */
    private static String identifier(Path file, int line, String field, String text) throws TesterFileException {
        String s = text.strip();
        String problem = Identifiers.problem(field, s);
        if (problem != null) {
            throw new TesterFileException(file, line, field, problem);
        }
        return s;
    }

    private static int integer(Path file, int line, String field, String text, int min, int max) throws TesterFileException {
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new TesterFileException(file, line, field, "'" + abbreviate(text) + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new TesterFileException(file, line, field, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static double decimal(Path file, int line, String field, String text, String unit) throws TesterFileException {
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TesterFileException(file, line, field, "'" + abbreviate(text) + "' is not a finite decimal number (" + unit + ")");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
