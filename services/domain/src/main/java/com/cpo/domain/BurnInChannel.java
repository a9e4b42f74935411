package com.cpo.domain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.cpo.domain.stats.MomentAccumulator;

/**
 * What burn-in judges about one laser channel, kept compact however long the unit stays in the rack:
 * <ul>
 * <li><b>baseline</b> = mean of the readings in the stabilisation window (the first hour by default),
 * not the very first reading;</li>
 * <li><b>final</b> = mean of the readings in the last window before the latest reading;</li>
 * <li><b>power drift</b> = final − baseline power, dB; <b>bias drift</b> = (final − baseline) / baseline bias, %;</li>
 * <li><b>sudden drop</b> = the largest fall of power between consecutive readings after a median-of-three filter,
 * dB (positive): a step that holds for at least two readings counts in full, a single outlier reading does not
 * count at all; a step on the very last reading is not confirmed and does not count;</li>
 * <li><b>drift fit</b> = least squares of power drift (dB) and bias drift (%) over time, on the readings after the
 * stabilisation window, kept as sums per time block so that the fit over the <em>latest half</em> of that span can be
 * taken with its standard errors ({@link #powerFit}, {@link #biasFit}): a settling curve flattens in the latest half,
 * a real drift does not.</li>
 * </ul>
 * Readings must arrive in time order per channel (the rack writes them so); one not after the latest is
 * ignored, which also makes redelivered readings harmless.
 */
public final class BurnInChannel {

    private static final byte FORMAT = 2;
    private static final byte FORMAT_1 = 1;
    private static final double MS_PER_HOUR = 3_600_000.0;
    /** Blocks of the fit: at most this many; when more are needed, neighbours merge and the block doubles. */
    private static final int MAX_BLOCKS = 64;
    private static final double FIRST_BLOCK_HOURS = 0.25;
    /** The fit over the latest half of the span needs at least this span, h, and this many readings. */
    public static final double MIN_FIT_HOURS = 2.0;
    public static final int MIN_FIT_READINGS = 20;

    /**
     * A least-squares line of a drift over a span of readings, with the uncertainty of the line.
     *
     * @param readings readings in the fit
     * @param fromHours, toHours the span fitted, hours since the first reading
     * @param slopePerHour the slope (dB/h or %/h)
     * @param slopeStdError its standard error (NaN when the residuals are not known)
     * @param meanHours the mean time of the fitted readings
     * @param meanValue the mean drift of the fitted readings
     * @param residualSigma the standard deviation of the residuals
     */
    public record Fit(long readings, double fromHours, double toHours, double slopePerHour, double slopeStdError, double meanHours,
            double meanValue, double residualSigma, double sxx) {

        /** The fitted drift at a time (hours since the first reading). */
        public double at(double hours) {
            return meanValue + slopePerHour * (hours - meanHours);
        }

        /** Standard error of the fitted line (the mean drift, not one reading) at a time. */
        public double stdErrorAt(double hours) {
            double d = hours - meanHours;
            return residualSigma * Math.sqrt(1.0 / readings + d * d / sxx);
        }
    }

    private final long stabilisationMs;
    private final long finalWindowMs;
    private long firstTimeMs = -1;
    private long lastTimeMs = -1;
    private double lastPowerDbm = Double.NaN;
    private double previousPowerDbm = Double.NaN;
    private double lastFilteredDbm = Double.NaN;
    private double maxDropDb;
    private long readings;
    private final MomentAccumulator baselinePower = new MomentAccumulator();
    private final MomentAccumulator baselineBias = new MomentAccumulator();
    private final Deque<double[]> finalWindow = new ArrayDeque<>(); // {timeMs, powerDbm, biasMa}
    // sums per block of the readings after the stabilisation window: {n, Σt, Σt², Σp, Σpt, Σp², Σb, Σbt, Σb²}
    private double blockHours = FIRST_BLOCK_HOURS;
    private final List<double[]> blocks = new ArrayList<>();

    public BurnInChannel(long stabilisationMs, long finalWindowMs) {
        this.stabilisationMs = stabilisationMs;
        this.finalWindowMs = finalWindowMs;
    }

    /** One hour of stabilisation, one hour of final window. */
    public static BurnInChannel withDefaultWindows() {
        return new BurnInChannel(3_600_000, 3_600_000);
    }

    /**
     * Adds a reading.
     *
     * @return the confirmed fall of power this reading reveals, dB (positive when it fell): the step between the
     *         median-of-three filtered values of the previous and the last-but-one reading; 0 when none
     */
    public double add(long timeMs, double powerDbm, double biasCurrentMa) {
        if (!accepts(timeMs)) {
            return 0;
        }
        if (firstTimeMs < 0) {
            firstTimeMs = timeMs;
        }
        double drop = 0;
        if (!Double.isNaN(previousPowerDbm)) {
            double filtered = median(previousPowerDbm, lastPowerDbm, powerDbm);
            if (!Double.isNaN(lastFilteredDbm)) {
                drop = Math.max(0, lastFilteredDbm - filtered);
                maxDropDb = Math.max(maxDropDb, drop);
            }
            lastFilteredDbm = filtered;
        }
        previousPowerDbm = lastPowerDbm;
        lastPowerDbm = powerDbm;
        lastTimeMs = timeMs;
        readings++;
        if (timeMs - firstTimeMs < stabilisationMs) {
            baselinePower.add(powerDbm);
            baselineBias.add(biasCurrentMa);
        } else {
            double hours = (timeMs - firstTimeMs) / MS_PER_HOUR;
            double biasPct = 100.0 * (biasCurrentMa - baselineBias.mean()) / baselineBias.mean();
            double powerDrift = powerDbm - baselinePower.mean();
            double[] b = block(hours);
            b[0]++;
            b[1] += hours;
            b[2] += hours * hours;
            b[3] += powerDrift;
            b[4] += powerDrift * hours;
            b[5] += powerDrift * powerDrift;
            b[6] += biasPct;
            b[7] += biasPct * hours;
            b[8] += biasPct * biasPct;
        }
        finalWindow.addLast(new double[] {timeMs, powerDbm, biasCurrentMa});
        while (!finalWindow.isEmpty() && timeMs - (long) finalWindow.peekFirst()[0] > finalWindowMs) {
            finalWindow.removeFirst();
        }
        return drop;
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** The block a time after the stabilisation window falls in, made (and the blocks merged) as needed. */
    private double[] block(double hours) {
        int index = (int) ((hours - stabilisationHours()) / blockHours);
        while (index >= MAX_BLOCKS) {
            List<double[]> merged = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i += 2) {
                double[] a = blocks.get(i).clone();
                if (i + 1 < blocks.size()) {
                    double[] b = blocks.get(i + 1);
                    for (int k = 0; k < a.length; k++) {
                        a[k] += b[k];
                    }
                }
                merged.add(a);
            }
            blocks.clear();
            blocks.addAll(merged);
            blockHours *= 2;
            index = (int) ((hours - stabilisationHours()) / blockHours);
        }
        while (blocks.size() <= index) {
            blocks.add(new double[9]);
        }
        return blocks.get(index);
    }

    private double stabilisationHours() {
        return stabilisationMs / MS_PER_HOUR;
    }

    /**
     * Whether a reading at this time would be taken: readings of a channel come in time order, so one not
     * after the latest is a redelivery (or out of order) and changes nothing.
     */
    public boolean accepts(long timeMs) {
        return lastTimeMs < 0 || timeMs > lastTimeMs;
    }

    public long readings() {
        return readings;
    }

    /** Whether the stabilisation window is over, so drift is meaningful. */
    public boolean baselineEstablished() {
        return lastTimeMs >= 0 && lastTimeMs - firstTimeMs >= stabilisationMs;
    }

    public double baselinePowerDbm() {
        return baselinePower.mean();
    }

    public double baselineBiasMa() {
        return baselineBias.mean();
    }

    public double finalPowerDbm() {
        return finalWindow.stream().mapToDouble(r -> r[1]).average().orElse(Double.NaN);
    }

    public double finalBiasMa() {
        return finalWindow.stream().mapToDouble(r -> r[2]).average().orElse(Double.NaN);
    }

    /** Final-window mean minus baseline power, dB. */
    public double powerDriftDb() {
        return finalPowerDbm() - baselinePowerDbm();
    }

    /** (final − baseline) / baseline bias current, %. */
    public double biasDriftPct() {
        return 100.0 * (finalBiasMa() - baselineBiasMa()) / baselineBiasMa();
    }

    /** Largest confirmed fall of power between consecutive readings, dB. */
    public double maxDropDb() {
        return maxDropDb;
    }

    /** Length of the final window, h: the judge's final drift is the mean over it. */
    public double finalWindowHours() {
        return finalWindowMs / MS_PER_HOUR;
    }

    /**
     * The power drift line over the latest half of the span since the stabilisation window (whole blocks, at least
     * {@link #MIN_FIT_HOURS}); null until that span is twice {@link #MIN_FIT_HOURS} and the half holds
     * {@link #MIN_FIT_READINGS} readings.
     */
    public Fit powerFit() {
        return fit(3);
    }

    /** The bias drift line (%), as {@link #powerFit}. */
    public Fit biasFit() {
        return fit(6);
    }

    private Fit fit(int column) {
        double now = hoursInRack();
        double span = now - stabilisationHours();
        if (blocks.isEmpty() || span < 2 * MIN_FIT_HOURS) {
            return null;
        }
        double from = now - Math.max(MIN_FIT_HOURS, span / 2);
        double n = 0, st = 0, stt = 0, sy = 0, syt = 0, syy = 0;
        int first = blocks.size() - 1;
        while (first > 0 && stabilisationHours() + first * blockHours > from) {
            first--;
        }
        for (int i = first; i < blocks.size(); i++) {
            double[] b = blocks.get(i);
            n += b[0];
            st += b[1];
            stt += b[2];
            sy += b[column];
            syt += b[column + 1];
            syy += b[column + 2];
        }
        if (n < MIN_FIT_READINGS) {
            return null;
        }
        double sxx = stt - st * st / n;
        if (sxx <= 0) {
            return null;
        }
        double sxy = syt - st * sy / n;
        double syyc = syy - sy * sy / n;
        double slope = sxy / sxx;
        double rss = Math.max(0, syyc - slope * sxy);
        double sigma = Math.sqrt(rss / (n - 2)); // NaN when the residuals of a format-1 state are unknown
        return new Fit((long) n, stabilisationHours() + first * blockHours, now, slope, sigma / Math.sqrt(sxx), st / n, sy / n, sigma, sxx);
    }

    /** Power drift slope of {@link #powerFit}, dB per hour; NaN until there is one. */
    public double powerSlopeDbPerHour() {
        Fit f = powerFit();
        return f == null ? Double.NaN : f.slopePerHour();
    }

    /** Bias drift slope of {@link #biasFit}, % per hour; NaN until there is one. */
    public double biasSlopePctPerHour() {
        Fit f = biasFit();
        return f == null ? Double.NaN : f.slopePerHour();
    }

    /** Time of the latest reading, epoch ms; -1 before the first. */
    public long lastTimeMs() {
        return lastTimeMs;
    }

    /** Hours since the first reading. */
    public double hoursInRack() {
        return lastTimeMs < 0 ? 0 : (lastTimeMs - firstTimeMs) / MS_PER_HOUR;
    }

    /**
     * Hours from the latest reading until the fitted drift line reaches a limit, 0 when it is already
     * beyond, or NaN when the line moves away from both limits (or is not known yet).
     */
    static double hoursToLimit(Fit fit, double nowHours, Double lower, Double upper) {
        if (fit == null) {
            return Double.NaN;
        }
        double slope = fit.slopePerHour();
        double now = fit.at(nowHours);
        if ((upper != null && now > upper) || (lower != null && now < lower)) {
            return 0;
        }
        if (slope > 0 && upper != null) {
            return (upper - now) / slope;
        }
        if (slope < 0 && lower != null) {
            return (lower - now) / slope;
        }
        return Double.NaN;
    }

    /** Projected hours until the power drift line reaches a limit; see {@link #hoursToLimit}. */
    public double powerHoursToLimit(Double lowerDb, Double upperDb) {
        return hoursToLimit(powerFit(), hoursInRack(), lowerDb, upperDb);
    }

    /** Projected hours until the bias drift line reaches a limit; see {@link #hoursToLimit}. */
    public double biasHoursToLimit(Double lowerPct, Double upperPct) {
        return hoursToLimit(biasFit(), hoursInRack(), lowerPct, upperPct);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + finalWindow.size() * 24 + blocks.size() * 72);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(stabilisationMs);
            out.writeLong(finalWindowMs);
            out.writeLong(firstTimeMs);
            out.writeLong(lastTimeMs);
            out.writeDouble(lastPowerDbm);
            out.writeDouble(previousPowerDbm);
            out.writeDouble(lastFilteredDbm);
            out.writeDouble(maxDropDb);
            out.writeLong(readings);
            for (MomentAccumulator m : new MomentAccumulator[] {baselinePower, baselineBias}) {
                out.writeLong(m.count());
                out.writeDouble(m.shift());
                out.writeDouble(m.meanShifted());
                out.writeDouble(m.sumSquaredDeviations());
                out.writeDouble(m.min());
                out.writeDouble(m.max());
            }
            out.writeDouble(blockHours);
            out.writeInt(blocks.size());
            for (double[] b : blocks) {
                for (double d : b) {
                    out.writeDouble(d);
                }
            }
            out.writeInt(finalWindow.size());
            for (double[] r : finalWindow) {
                out.writeLong((long) r[0]);
                out.writeDouble(r[1]);
                out.writeDouble(r[2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads format 2, and format 1 (a single fit since the baseline without residuals: no projection until the latest half leaves it). */
    public static BurnInChannel fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_1) {
                throw new IllegalArgumentException("unknown BurnInChannel format " + format);
            }
            BurnInChannel c = new BurnInChannel(in.readLong(), in.readLong());
            c.firstTimeMs = in.readLong();
            c.lastTimeMs = in.readLong();
            c.lastPowerDbm = in.readDouble();
            if (format == FORMAT) {
                c.previousPowerDbm = in.readDouble();
                c.lastFilteredDbm = in.readDouble();
            }
            c.maxDropDb = in.readDouble();
            c.readings = in.readLong();
            for (MomentAccumulator m : new MomentAccumulator[] {c.baselinePower, c.baselineBias}) {
                long n = in.readLong();
                MomentAccumulator restored = MomentAccumulator.of(n, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble());
                if (n > 0) {
                    m.merge(restored);
                }
            }
            if (format == FORMAT) {
                c.blockHours = in.readDouble();
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    double[] b = new double[9];
                    for (int k = 0; k < b.length; k++) {
                        b[k] = in.readDouble();
                    }
                    c.blocks.add(b);
                }
            } else {
                c.readFormat1Fit(in);
            }
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                c.finalWindow.addLast(new double[] {in.readLong(), in.readDouble(), in.readDouble()});
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Format 1 kept means and co-moments of one fit since the baseline; they become the first block, residuals unknown. */
    private void readFormat1Fit(DataInputStream in) throws IOException {
        long n = in.readLong();
        double meanHours = in.readDouble();
        double meanPower = in.readDouble();
        double meanBias = in.readDouble();
        double m2Hours = in.readDouble();
        double coPower = in.readDouble();
        double coBias = in.readDouble();
        if (n > 0) {
            blocks.add(new double[] {n, n * meanHours, m2Hours + n * meanHours * meanHours, n * meanPower, coPower + n * meanHours * meanPower,
                    Double.NaN, n * meanBias, coBias + n * meanHours * meanBias, Double.NaN});
        }
    }
}
