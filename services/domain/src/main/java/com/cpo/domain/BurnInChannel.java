package com.cpo.domain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

import com.cpo.domain.stats.MomentAccumulator;

/**
 * What burn-in judges about one laser channel, kept compact however long the unit stays in the rack:
 * <ul>
 * <li><b>baseline</b> = mean of the readings in the stabilisation window (the first hour by default),
 * not the very first reading;</li>
 * <li><b>final</b> = mean of the readings in the last window before the latest reading;</li>
 * <li><b>power drift</b> = final − baseline power, dB; <b>bias drift</b> = (final − baseline) / baseline bias, %;</li>
 * <li><b>sudden drop</b> = the largest fall of power between consecutive readings, dB (positive);</li>
 * <li><b>drift slope</b> = least-squares slope of power (dB/h) and bias (%/h) since the baseline window ended,
 * which projects the time to a limit while the unit is still in the rack.</li>
 * </ul>
 * Readings must arrive in time order per channel (the rack writes them so); one not after the latest is
 * ignored, which also makes redelivered readings harmless.
 */
public final class BurnInChannel {

    private static final byte FORMAT = 1;
    private static final double MS_PER_HOUR = 3_600_000.0;

    private final long stabilisationMs;
    private final long finalWindowMs;
    private long firstTimeMs = -1;
    private long lastTimeMs = -1;
    private double lastPowerDbm = Double.NaN;
    private double maxDropDb;
    private long readings;
    private final MomentAccumulator baselinePower = new MomentAccumulator();
    private final MomentAccumulator baselineBias = new MomentAccumulator();
    private final Deque<double[]> finalWindow = new ArrayDeque<>(); // {timeMs, powerDbm, biasMa}
    // online least squares of (hours since first reading, value) after the baseline window
    private long fitN;
    private double meanHours;
    private double meanPower;
    private double meanBias;
    private double m2Hours;
    private double coPower;
    private double coBias;

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
     * @return the fall of power from the previous reading in dB (positive when it fell), 0 for the first
     */
    public double add(long timeMs, double powerDbm, double biasCurrentMa) {
        if (!accepts(timeMs)) {
            return 0;
        }
        if (firstTimeMs < 0) {
            firstTimeMs = timeMs;
        }
        double drop = Double.isNaN(lastPowerDbm) ? 0 : lastPowerDbm - powerDbm;
        maxDropDb = Math.max(maxDropDb, drop);
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
            fitN++;
            double dh = hours - meanHours;
            meanHours += dh / fitN;
            double dp = powerDrift - meanPower;
            meanPower += dp / fitN;
            double db = biasPct - meanBias;
            meanBias += db / fitN;
            m2Hours += dh * (hours - meanHours);
            coPower += dh * (powerDrift - meanPower);
            coBias += dh * (biasPct - meanBias);
        }
        finalWindow.addLast(new double[] {timeMs, powerDbm, biasCurrentMa});
        while (!finalWindow.isEmpty() && timeMs - (long) finalWindow.peekFirst()[0] > finalWindowMs) {
            finalWindow.removeFirst();
        }
        return Math.max(0, drop);
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

    /** Largest fall of power between consecutive readings, dB. */
    public double maxDropDb() {
        return maxDropDb;
    }

    /** Power drift slope since the baseline window, dB per hour; NaN with fewer than 3 readings after it. */
    public double powerSlopeDbPerHour() {
        return fitN < 3 || m2Hours == 0 ? Double.NaN : coPower / m2Hours;
    }

    /** Bias drift slope since the baseline window, % per hour; NaN with fewer than 3 readings after it. */
    public double biasSlopePctPerHour() {
        return fitN < 3 || m2Hours == 0 ? Double.NaN : coBias / m2Hours;
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
     *
     * @param slopePerHour the fitted slope
     * @param intercept the fitted value at hour 0
     */
    static double hoursToLimit(double slopePerHour, double intercept, double nowHours, Double lower, Double upper) {
        if (Double.isNaN(slopePerHour)) {
            return Double.NaN;
        }
        double now = intercept + slopePerHour * nowHours;
        if ((upper != null && now > upper) || (lower != null && now < lower)) {
            return 0;
        }
        if (slopePerHour > 0 && upper != null) {
            return (upper - now) / slopePerHour;
        }
        if (slopePerHour < 0 && lower != null) {
            return (lower - now) / slopePerHour;
        }
        return Double.NaN;
    }

    /** Projected hours until the power drift line reaches a limit; see {@link #hoursToLimit}. */
    public double powerHoursToLimit(Double lowerDb, Double upperDb) {
        double slope = powerSlopeDbPerHour();
        return hoursToLimit(slope, meanPower - slope * meanHours, hoursInRack(), lowerDb, upperDb);
    }

    /** Projected hours until the bias drift line reaches a limit; see {@link #hoursToLimit}. */
    public double biasHoursToLimit(Double lowerPct, Double upperPct) {
        double slope = biasSlopePctPerHour();
        return hoursToLimit(slope, meanBias - slope * meanHours, hoursInRack(), lowerPct, upperPct);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + finalWindow.size() * 24);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(stabilisationMs);
            out.writeLong(finalWindowMs);
            out.writeLong(firstTimeMs);
            out.writeLong(lastTimeMs);
            out.writeDouble(lastPowerDbm);
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
            out.writeLong(fitN);
            for (double d : new double[] {meanHours, meanPower, meanBias, m2Hours, coPower, coBias}) {
                out.writeDouble(d);
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

    public static BurnInChannel fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalArgumentException("unknown BurnInChannel format");
            }
            BurnInChannel c = new BurnInChannel(in.readLong(), in.readLong());
            c.firstTimeMs = in.readLong();
            c.lastTimeMs = in.readLong();
            c.lastPowerDbm = in.readDouble();
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
            c.fitN = in.readLong();
            c.meanHours = in.readDouble();
            c.meanPower = in.readDouble();
            c.meanBias = in.readDouble();
            c.m2Hours = in.readDouble();
            c.coPower = in.readDouble();
            c.coBias = in.readDouble();
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                c.finalWindow.addLast(new double[] {in.readLong(), in.readDouble(), in.readDouble()});
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
