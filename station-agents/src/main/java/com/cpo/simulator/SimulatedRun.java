package com.cpo.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.cpo.events.AlignmentStep;

/**
 * One alignment run the simulator made, exactly as written to its file (values already rounded to the
 * file's 3 decimals): the ground truth tests and benchmarks compare the platform against.
 *
 * @param couplingLossDb [step ordinal][channel - 1], dB
 * @param pdlDb [step ordinal][channel - 1], dB
 * @param defectChannel the channel given a defect (1-based), or 0 for none
 */
public record SimulatedRun(String serial, String lot, String product, String station, String operator, int attempt, Instant start,
        Instant end, double[][] couplingLossDb, double[][] pdlDb, int defectChannel, boolean aborted) {

    public int channels() {
        return couplingLossDb[0].length;
    }

    /** Channels with a coupling loss above {@code upperLimitDb} at any step. */
    public Set<Integer> channelsAbove(double upperLimitDb) {
        Set<Integer> result = new TreeSet<>();
        for (double[] step : couplingLossDb) {
            for (int ch = 0; ch < step.length; ch++) {
                if (step[ch] > upperLimitDb) {
                    result.add(ch + 1);
                }
            }
        }
        return result;
    }

    /** Every coupling-loss value of the run, for statistics checks. */
    public List<Double> allCouplingLossDb() {
        List<Double> values = new ArrayList<>();
        for (double[] step : couplingLossDb) {
            for (double v : step) {
                values.add(v);
            }
        }
        return values;
    }

    public String fileName() {
        return serial + "_" + attempt + ".align";
    }

    public double valueAt(AlignmentStep step, int channel) {
        return couplingLossDb[step.ordinal()][channel - 1];
    }
}
