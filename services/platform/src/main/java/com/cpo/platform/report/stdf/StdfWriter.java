package com.cpo.platform.report.stdf;

import java.io.BufferedOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Streams one lot of test results as an STDF V4 file (Standard Test Data Format, Teradyne, V4 2007).
 *
 * <p>Call {@link #begin(Lot)} once (FAR, MIR), {@link #part(Part)} per tested part (PIR, one PTR per result,
 * PRR) and {@link #finish(Instant)} once (TSR per test number, HBR per hard bin, SBR per soft bin, PCR, MRR).
 * Memory is bounded by the number of distinct test numbers and bins, never by the number of parts: each record
 * goes to a 64 KiB buffer as soon as it is built, and only the per-test and per-bin totals stay in memory.
 *
 * <p>The encoding, per the spec:
 * <ul>
 * <li>Little-endian (FAR CPU_TYPE 2), IEEE 754 single precision for R4, so a result is rounded to the
 *     nearest {@code float}.</li>
 * <li>Strings are Cn: a length byte and at most 255 bytes of US-ASCII. Longer strings are cut at 255 bytes;
 *     every non-ASCII character (code point) becomes one {@code '?'}; {@code null} is the empty string.</li>
 * <li>Times are U4 seconds since 1970-01-01 UTC.</li>
 * <li>Every field of every record is written, trailing ones too, and every PTR repeats its limits, units and
 *     formats: a reader never has to carry defaults over from the first PTR of a test.</li>
 * <li>One head and one site (HEAD_NUM 1, SITE_NUM 1) for the parts; the summaries are for all heads
 *     (HEAD_NUM 255, SITE_NUM 0).</li>
 * <li>Limits are inclusive: a result equal to a limit passes (PTR PARM_FLG bits 6 and 7 set). A missing limit
 *     is flagged in OPT_FLAG (bit 6 low, bit 7 high) and written as 0.</li>
 * <li>Counts with no value are U4 4294967295 (TSR ALRM_CNT, PCR FUNC_CNT); counts that could reach it are
 *     capped at 4294967294.</li>
 * </ul>
 *
 * <p>The writer does not close the stream it was given. Not thread-safe.
 */
public final class StdfWriter implements Flushable {

    /** FAR CPU_TYPE: 2 is "Sun 386i, IBM PC": little-endian integers, IEEE 754 floats. */
    private static final int CPU_TYPE_LITTLE_ENDIAN = 2;
    private static final int STDF_VERSION = 4;
    /** The largest record body its U2 REC_LEN can declare. */
    private static final int MAX_RECORD_BYTES = 65_535;
    private static final int MAX_STRING_BYTES = 255;
    /** HARD_BIN, SOFT_BIN, HBIN_NUM and SBIN_NUM are legal from 0 to 32767. */
    private static final int MAX_BIN = 32_767;
    private static final long MAX_U4 = 4_294_967_295L;
    /** The spec's "missing" for a U4 count. */
    private static final long MISSING_COUNT = MAX_U4;
    private static final String NUMBER_FORMAT = "%7.3f";

    private static final int ALL_HEADS = 255;
    private static final int HEAD = 1;
    private static final int SITE = 1;
    private static final int HEADER_BYTES = 4;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int MAX_U2 = 65_535;
    private static final short NO_COORDINATE = Short.MIN_VALUE;

    // PTR TEST_FLG
    private static final int TEST_FAILED = 0x80;
    // PTR PARM_FLG
    private static final int ABOVE_HIGH_LIMIT = 0x08;
    private static final int BELOW_LOW_LIMIT = 0x10;
    private static final int EQUAL_TO_LOW_LIMIT_PASSES = 0x40;
    private static final int EQUAL_TO_HIGH_LIMIT_PASSES = 0x80;
    // PTR OPT_FLAG: bit 1 is reserved and must be 1; there are never spec limits
    private static final int PTR_OPT_RESERVED = 0x02;
    private static final int NO_LOW_SPEC = 0x04;
    private static final int NO_HIGH_SPEC = 0x08;
    private static final int NO_LOW_LIMIT = 0x40;
    private static final int NO_HIGH_LIMIT = 0x80;
    // PRR PART_FLG
    private static final int SUPERSEDES_SAME_PART_ID = 0x01;
    private static final int ABNORMAL_END = 0x04;
    private static final int PART_FAILED = 0x08;
    private static final int NO_PASS_FAIL = 0x10;
    private static final int NO_PASS_FAIL_INDICATION = 0x40;
    // TSR OPT_FLAG: bits 3, 6 and 7 are reserved and must be 1
    private static final int TSR_OPT_RESERVED = 0x08 | 0x40 | 0x80;
    private static final int TEST_MIN_INVALID = 0x01;
    private static final int TEST_MAX_INVALID = 0x02;
    private static final int TEST_TIM_INVALID = 0x04;
    private static final int TST_SUMS_INVALID = 0x10;
    private static final int TST_SQRS_INVALID = 0x20;

    /**
     * The lot, as the MIR tells it. {@code setup} and {@code start} are SETUP_T and START_T; {@code station} is
     * STAT_NUM, of which only the low 8 bits fit. The strings go to LOT_ID, PART_TYP, NODE_NAM, TSTR_TYP,
     * JOB_NAM, JOB_REV, OPER_NAM, EXEC_TYP, EXEC_VER, TEST_COD, FACIL_ID, FLOOR_ID, SPEC_NAM, SPEC_VER and
     * USER_TXT; the MIR's other strings are empty.
     */
    public record Lot(Instant setup, Instant start, int station, String lotId, String partType, String nodeName,
            String testerType, String jobName, String jobRev, String operatorName, String execType, String execVer,
            String testCode, String facility, String floor, String specName, String specVer, String userText) {
    }

    /**
     * One measurement of a part, written as a PTR. {@code testNumber} is TEST_NUM (0 to 4294967295);
     * TEST_TXT is {@code testName + " " + sequence}, trimmed. {@code low} and {@code high} are inclusive limits,
     * {@code null} when there is no such limit. {@code failed} is the verdict as decided upstream; the writer
     * does not re-judge it against the limits.
     */
    public record Result(long testNumber, String testName, String sequence, double value, Double low, Double high,
            String units, boolean failed) {
    }

    /**
     * One tested part, written as PIR, PTRs and PRR. {@code retest} means this test supersedes an earlier
     * one of a part with the same {@code partId} (PRR PART_FLG bit 0). {@code failed} null: no pass/fail indication
     * (PART_FLG bit 4; the part is neither good nor failed). Bins are 0 to 32767; {@code testTimeMs} is TEST_T in
     * milliseconds.
     */
    public record Part(String partId, String partText, boolean retest, Boolean failed, boolean abnormalEnd,
            int hardBin, String hardBinName, int softBin, String softBinName, long testTimeMs,
            List<Result> results) {
    }

    private enum State { NEW, BEGUN, FINISHED }

    private final OutputStream out;
    private final ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + MAX_RECORD_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    private final StdfTotals totals = new StdfTotals();
    private State state = State.NEW;
    private long bytesWritten;

    /** Wraps {@code out} in a 64 KiB buffer; {@code out} is flushed by {@link #flush()} and never closed. */
    public StdfWriter(OutputStream out) {
        this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), BUFFER_BYTES);
    }

    /** Writes the FAR and the MIR. Call once, first. */
    public void begin(Lot lot) throws IOException {
        Objects.requireNonNull(lot, "lot");
        if (state != State.NEW) {
            throw new IllegalStateException("begin() was already called");
        }
        long setup = seconds(lot.setup(), "setup");
        long start = seconds(lot.start(), "start");
        write(0, 10, "FAR", null, () -> {
            u1(CPU_TYPE_LITTLE_ENDIAN);
            u1(STDF_VERSION);
        });
        write(1, 10, "MIR", null, () -> {
            u4(setup);
            u4(start);
            u1(lot.station() & 0xFF);
            c1('P');                    // MODE_COD: production
            c1(' ');                    // RTST_COD
            c1(' ');                    // PROT_COD
            u2(MAX_U2);                 // BURN_TIM: missing
            c1(' ');                    // CMOD_COD
            cn(lot.lotId());
            cn(lot.partType());
            cn(lot.nodeName());
            cn(lot.testerType());
            cn(lot.jobName());
            cn(lot.jobRev());
            cn("");                     // SBLOT_ID
            cn(lot.operatorName());
            cn(lot.execType());
            cn(lot.execVer());
            cn(lot.testCode());
            cn("");                     // TST_TEMP
            cn(lot.userText());
            for (int i = 0; i < 4; i++) {
                cn("");                 // AUX_FILE, PKG_TYP, FAMLY_ID, DATE_COD
            }
            cn(lot.facility());
            cn(lot.floor());
            cn("");                     // PROC_ID
            cn("");                     // OPER_FRQ
            cn(lot.specName());
            cn(lot.specVer());
            for (int i = 0; i < 7; i++) {
                cn("");                 // FLOW_ID, SETUP_ID, DSGN_REV, ENG_ID, ROM_COD, SERL_NUM, SUPR_NAM
            }
        });
        state = State.BEGUN;
    }

    /**
     * Writes one part: PIR, one PTR per result in the given order, PRR. The arguments are all checked before
     * the first byte of the part is written.
     *
     * @throws IllegalArgumentException when a bin is outside 0..32767, a test number outside 0..4294967295, the
     *         test time outside 0..4294967295 ms, or a record would be longer than 65535 bytes
     */
    public void part(Part part) throws IOException {
        Objects.requireNonNull(part, "part");
        if (state != State.BEGUN) {
            throw new IllegalStateException(state == State.NEW ? "call begin() first" : "finish() was already called");
        }
        List<Result> results = Objects.requireNonNull(part.results(), () -> "results of part '" + part.partId() + "'");
        checkBin(part.hardBin(), "hard", part);
        checkBin(part.softBin(), "soft", part);
        if (part.testTimeMs() < 0 || part.testTimeMs() > MAX_U4) {
            throw new IllegalArgumentException("test time " + part.testTimeMs() + " ms of part '" + part.partId()
                    + "' is outside 0.." + MAX_U4);
        }
        for (Result result : results) {
            Objects.requireNonNull(result, () -> "a result of part '" + part.partId() + "'");
            if (result.testNumber() < 0 || result.testNumber() > MAX_U4) {
                throw new IllegalArgumentException("test number " + result.testNumber() + " of part '"
                        + part.partId() + "' is outside 0.." + MAX_U4);
            }
        }

        write(5, 10, "PIR", part, () -> {
            u1(HEAD);
            u1(SITE);
        });
        for (Result result : results) {
            String text = testText(result);
            write(15, 10, "PTR", part, () -> ptr(result, text));
            totals.result(result, text);
        }
        boolean failed = Boolean.TRUE.equals(part.failed());
        int flags = (part.retest() ? SUPERSEDES_SAME_PART_ID : 0) | (part.abnormalEnd() ? ABNORMAL_END : 0)
                | (failed ? PART_FAILED : 0) | (part.failed() == null ? NO_PASS_FAIL : 0);
        write(5, 20, "PRR", part, () -> {
            u1(HEAD);
            u1(SITE);
            u1(flags);                                  // PART_FLG; bit 4 set: bit 3 is not valid
            u2(Math.min(results.size(), MAX_U2));       // NUM_TEST
            u2(part.hardBin());
            u2(part.softBin());
            record.putShort(NO_COORDINATE);             // X_COORD
            record.putShort(NO_COORDINATE);             // Y_COORD
            u4(part.testTimeMs());
            cn(part.partId());
            cn(part.partText());
            u1(0);                                      // PART_FIX: Bn of length 0
        });

        totals.part(part);
    }

    /**
     * Writes the summaries for all heads (TSR per test number, HBR per hard bin, SBR per soft bin, each in
     * ascending order; PCR) and the MRR, then flushes. Call once, last.
     */
    public void finish(Instant finish) throws IOException {
        if (state != State.BEGUN) {
            throw new IllegalStateException(state == State.NEW ? "call begin() first" : "finish() was already called");
        }
        long finishSeconds = seconds(finish, "finish");
        for (Map.Entry<Long, StdfTotals.Test> test : totals.tests().entrySet()) {
            long number = test.getKey();
            StdfTotals.Test t = test.getValue();
            write(10, 30, "TSR", null, () -> tsr(number, t));
        }
        bins(1, 40, "HBR", totals.hardBins());
        bins(1, 50, "SBR", totals.softBins());
        write(1, 30, "PCR", null, () -> {
            u1(ALL_HEADS);
            u1(0);
            u4(count(totals.parts()));
            u4(count(totals.retests()));
            u4(count(totals.aborted()));
            u4(count(totals.good()));
            u4(MISSING_COUNT);          // FUNC_CNT: not known
        });
        write(1, 20, "MRR", null, () -> {
            u4(finishSeconds);
            c1(' ');                    // DISP_COD
            cn("");                     // USR_DESC
            cn("");                     // EXC_DESC
        });
        state = State.FINISHED;
        flush();
    }

    /** Flushes the buffer and the underlying stream. */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Parts written so far. */
    public long partCount() {
        return totals.parts();
    }

    /** Bytes written so far, headers included; some may still be in the buffer until {@link #flush()}. */
    public long bytesWritten() {
        return bytesWritten;
    }

    private void ptr(Result result, String text) {
        Double low = result.low();
        Double high = result.high();
        double value = result.value();
        int parmFlags = EQUAL_TO_LOW_LIMIT_PASSES | EQUAL_TO_HIGH_LIMIT_PASSES
                | (high != null && value > high ? ABOVE_HIGH_LIMIT : 0)
                | (low != null && value < low ? BELOW_LOW_LIMIT : 0);
        int optFlags = PTR_OPT_RESERVED | NO_LOW_SPEC | NO_HIGH_SPEC
                | (low == null ? NO_LOW_LIMIT : 0) | (high == null ? NO_HIGH_LIMIT : 0);
        u4(result.testNumber());
        u1(HEAD);
        u1(SITE);
        // TEST_FLG: bit 7 failed; bit 6 "completed with no pass/fail indication" when no limit applied
        u1((result.failed() ? TEST_FAILED : 0) | (low == null && high == null ? NO_PASS_FAIL_INDICATION : 0));
        u1(parmFlags);
        r4(value);
        cn(text);
        cn("");                         // ALARM_ID
        u1(optFlags);
        u1(0);                          // RES_SCAL
        u1(0);                          // LLM_SCAL
        u1(0);                          // HLM_SCAL
        r4(low == null ? 0 : low);
        r4(high == null ? 0 : high);
        cn(result.units());
        cn(NUMBER_FORMAT);              // C_RESFMT
        cn(NUMBER_FORMAT);              // C_LLMFMT
        cn(NUMBER_FORMAT);              // C_HLMFMT
        r4(0);                          // LO_SPEC
        r4(0);                          // HI_SPEC
    }

    private void tsr(long number, StdfTotals.Test totals) {
        boolean measured = totals.measured > 0;
        int optFlags = TSR_OPT_RESERVED | TEST_TIM_INVALID
                | (measured ? 0 : TEST_MIN_INVALID | TEST_MAX_INVALID | TST_SUMS_INVALID | TST_SQRS_INVALID);
        u1(ALL_HEADS);
        u1(0);
        c1('P');                        // TEST_TYP: parametric
        u4(number);
        u4(count(totals.executed));
        u4(count(totals.failed));
        u4(MISSING_COUNT);              // ALRM_CNT: not known
        cn(totals.text);
        cn(totals.sequence);
        cn("");                         // TEST_LBL
        u1(optFlags);
        r4(0);                          // TEST_TIM
        r4(measured ? totals.min : 0);
        r4(measured ? totals.max : 0);
        r4(measured ? totals.sum : 0);
        r4(measured ? totals.sumOfSquares : 0);
    }

    private void bins(int type, int sub, String name, Map<Integer, StdfTotals.Bin> bins) throws IOException {
        for (Map.Entry<Integer, StdfTotals.Bin> bin : bins.entrySet()) {
            int number = bin.getKey();
            StdfTotals.Bin totals = bin.getValue();
            write(type, sub, name, null, () -> {
                u1(ALL_HEADS);
                u1(0);
                u2(number);
                u4(count(totals.count));
                c1(totals.passFail());
                cn(totals.name);
            });
        }
    }

    /** Builds one record in the buffer, then writes it whole: a record too long is never half written. */
    private void write(int type, int sub, String name, Part part, Runnable fields) throws IOException {
        record.clear().position(HEADER_BYTES);
        try {
            fields.run();
        } catch (BufferOverflowException e) {
            throw new IllegalArgumentException(name + (part == null ? "" : " of part '" + part.partId() + "'")
                    + " is longer than the " + MAX_RECORD_BYTES + " bytes an STDF record can hold", e);
        }
        int length = record.position();
        record.putShort(0, (short) (length - HEADER_BYTES));
        record.put(2, (byte) type);
        record.put(3, (byte) sub);
        out.write(record.array(), 0, length);
        bytesWritten += length;
    }

    private void u1(int value) {
        record.put((byte) value);
    }

    private void u2(int value) {
        record.putShort((short) value);
    }

    private void u4(long value) {
        record.putInt((int) value);
    }

    private void r4(double value) {
        record.putFloat((float) value);
    }

    private void c1(char value) {
        record.put((byte) value);
    }

    private void cn(String value) {
        String text = value == null ? "" : value;
        int lengthAt = record.position();
        record.put((byte) 0);
        int length = 0;
        for (int i = 0; i < text.length() && length < MAX_STRING_BYTES; length++) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            record.put(codePoint < 0x80 ? (byte) codePoint : (byte) '?');
        }
        record.put(lengthAt, (byte) length);
    }

    private static long count(long value) {
        return Math.min(value, MISSING_COUNT - 1);
    }

    private static long seconds(Instant time, String name) {
        Objects.requireNonNull(time, name);
        long seconds = time.getEpochSecond();
        if (seconds < 0 || seconds > MAX_U4) {
            throw new IllegalArgumentException(name + " " + time + " does not fit a U4 of seconds since 1970");
        }
        return seconds;
    }

    private static void checkBin(int bin, String kind, Part part) {
        if (bin < 0 || bin > MAX_BIN) {
            throw new IllegalArgumentException(kind + " bin " + bin + " of part '" + part.partId()
                    + "' is outside 0.." + MAX_BIN);
        }
    }

    private static String testText(Result result) {
        String name = result.testName() == null ? "" : result.testName();
        String sequence = result.sequence() == null ? "" : result.sequence();
        return (name + " " + sequence).trim();
    }
}
