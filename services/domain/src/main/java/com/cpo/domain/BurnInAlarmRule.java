package com.cpo.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * When a channel still in the burn-in rack raises an alarm: a power fall between consecutive readings beyond the
 * {@link Parameters#SUDDEN_DROP} limit, or a drift (power, bias) that, projected along its least-squares slope since the
 * stabilisation window, reaches its limit within the horizon. The one rule the analytics app applies as readings
 * arrive.
 */
public final class BurnInAlarmRule {

    /** Kinds of alarm, named as on the alarms topic. */
    public enum Kind {
        SUDDEN_DROP, POWER_DRIFT_PROJECTED, BIAS_DRIFT_PROJECTED
    }

    /**
     * One alarm of one channel.
     *
     * @param value the drop (dB), or the drift now (dB, %)
     * @param limit the bound it is about
     * @param slopePerHour the drift's slope (dB/h, %/h), null for a drop
     * @param hoursToLimit the projected hours to the bound, null for a drop
     */
    public record Alarm(Kind kind, int channel, double value, double limit, String unitOfMeasure, Double slopePerHour, Double hoursToLimit,
            String message) {
    }

    private BurnInAlarmRule() {
    }

    /**
     * The alarms a reading raises on its channel.
     *
     * @param tracker the channel's tracker, the reading already added
     * @param dropDb the power fall from the previous reading, dB (what {@link BurnInChannel#add} returned)
     * @param powerDbm, biasCurrentMa the reading
     * @param horizonHours how far ahead a projection may reach its limit and alarm
     */
    public static List<Alarm> evaluate(LimitSet limits, int channel, BurnInChannel tracker, double dropDb, double powerDbm,
            double biasCurrentMa, double horizonHours) {
        List<Alarm> alarms = new ArrayList<>();
        limits.binding(Parameters.SUDDEN_DROP, channel).ifPresent(limit -> {
            if (!limit.passes(dropDb)) {
                double bound = limit.upper() != null ? limit.upper() : limit.lower();
                alarms.add(new Alarm(Kind.SUDDEN_DROP, channel, dropDb, bound, "dB", null, null,
                        String.format("channel %d power fell %.2f dB between consecutive readings (limit %.2f dB)", channel, dropDb, bound)));
            }
        });
        if (!tracker.baselineEstablished()) {
            return alarms;
        }
        limits.binding(Parameters.POWER_DRIFT, channel).ifPresent(limit -> {
            double hours = tracker.powerHoursToLimit(limit.lower(), limit.upper());
            if (!Double.isNaN(hours) && hours <= horizonHours) {
                double drift = powerDbm - tracker.baselinePowerDbm();
                double slope = tracker.powerSlopeDbPerHour();
                double bound = bound(limit, slope);
                alarms.add(new Alarm(Kind.POWER_DRIFT_PROJECTED, channel, drift, bound, "dB", slope, hours,
                        String.format("channel %d power drifts %.3f dB/h; projected to reach %.2f dB drift in %.1f h", channel, slope, bound, hours)));
            }
        });
        limits.binding(Parameters.BIAS_DRIFT, channel).ifPresent(limit -> {
            double hours = tracker.biasHoursToLimit(limit.lower(), limit.upper());
            if (!Double.isNaN(hours) && hours <= horizonHours) {
                double drift = 100.0 * (biasCurrentMa - tracker.baselineBiasMa()) / tracker.baselineBiasMa();
                double slope = tracker.biasSlopePctPerHour();
                double bound = bound(limit, slope);
                alarms.add(new Alarm(Kind.BIAS_DRIFT_PROJECTED, channel, drift, bound, "%", slope, hours,
                        String.format("channel %d bias drifts %.3f %%/h; projected to reach %.1f %% in %.1f h", channel, slope, bound, hours)));
            }
        });
        return alarms;
    }

    /** The bound a drift heads for: the lower one when falling and there is one, else the upper (or the only one). */
    private static double bound(Limit limit, double slope) {
        return slope < 0 && limit.lower() != null ? limit.lower() : (limit.upper() != null ? limit.upper() : limit.lower());
    }
}
