package com.cpo.platform.report.stdf;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the summary records of an STDF file count while its parts are written: per test number its executions,
 * failures and values (TSR), per hard and soft bin its parts (HBR, SBR), and the part counts (PCR). Memory grows with
 * the tests and bins, not with the parts.
 */
final class StdfTotals {

    private final Map<Long, Test> tests = new TreeMap<>();
    private final Map<Integer, Bin> hardBins = new TreeMap<>();
    private final Map<Integer, Bin> softBins = new TreeMap<>();
    private long parts;
    private long retests;
    private long aborted;
    private long good;

    /** A result of a part, named {@code text} (the test keeps the first name it was given). */
    void result(StdfWriter.Result result, String text) {
        tests.computeIfAbsent(result.testNumber(), n -> new Test(text, result.sequence())).add(result);
    }

    /** A part, once its PRR is written: good = neither failed, nor without a pass/fail indication, nor ended abnormally. */
    void part(StdfWriter.Part part) {
        hardBins.computeIfAbsent(part.hardBin(), n -> new Bin()).add(part.hardBinName(), part.failed());
        softBins.computeIfAbsent(part.softBin(), n -> new Bin()).add(part.softBinName(), part.failed());
        parts++;
        if (part.retest()) {
            retests++;
        }
        if (part.abnormalEnd()) {
            aborted++;
        }
        if (Boolean.FALSE.equals(part.failed()) && !part.abnormalEnd()) {
            good++;
        }
    }

    /** By test number, ascending. */
    Map<Long, Test> tests() {
        return tests;
    }

    /** By bin number, ascending. */
    Map<Integer, Bin> hardBins() {
        return hardBins;
    }

    Map<Integer, Bin> softBins() {
        return softBins;
    }

    long parts() {
        return parts;
    }

    long retests() {
        return retests;
    }

    long aborted() {
        return aborted;
    }

    long good() {
        return good;
    }

    /** A test number's totals for its TSR; the name is the one of its first result. */
    static final class Test {
        final String text;
        final String sequence;
        long executed;
        long failed;
        /** Results with a finite value, the only ones in min, max and the sums. */
        long measured;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        double sumOfSquares;

        Test(String text, String sequence) {
            this.text = text;
            this.sequence = sequence;
        }

        void add(StdfWriter.Result result) {
            executed++;
            if (result.failed()) {
                failed++;
            }
            double value = result.value();
            if (Double.isFinite(value)) {
                measured++;
                min = Math.min(min, value);
                max = Math.max(max, value);
                sum += value;
                sumOfSquares += value * value;
            }
        }
    }

    /** A bin's part count and whether its parts passed; the name is the first non-empty one given. */
    static final class Bin {
        String name = "";
        long count;
        long passed;
        long failed;

        void add(String binName, Boolean partFailed) {
            if (name.isEmpty() && binName != null) {
                name = binName;
            }
            count++;
            if (Boolean.TRUE.equals(partFailed)) {
                failed++;
            } else if (Boolean.FALSE.equals(partFailed)) {
                passed++;
            }
        }

        /** 'P' when every part in the bin passed, 'F' when every one failed, ' ' (unknown) when mixed or not known. */
        char passFail() {
            return failed == 0 && passed == count ? 'P' : passed == 0 && failed == count ? 'F' : ' ';
        }
    }
}
