package com.cpo.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a unit still in the burn-in rack raises an alarm, and when the alarm clears: the one rule the analytics app
 * applies as readings arrive (and the alarms benchmark replays).
 * <ul>
 * <li><b>Sudden drop</b>: a confirmed power step (see {@link BurnInChannel#add}: median-of-three filtered, so a single
 * outlier reading is no step) beyond the {@link Parameters#SUDDEN_DROP} limit. It is a fact, so it stays open.</li>
 * <li><b>Drift projected</b> (power, bias): the drift line fitted over the latest half of the readings after the
 * stabilisation window ({@link BurnInChannel#powerFit}: at least 2 h and 20 readings, so a settling curve has flattened
 * out of it) is projected to the time the judge will measure (the middle of the final window before the planned end of
 * burn-in). It <em>raises</em> when even the favourable end of the line's confidence interval there (the fitted value
 * moved {@code z} standard errors towards the limit's inside) is beyond the limit; it <em>holds</em> while the fitted
 * value itself is beyond, and <em>clears</em> when that recedes. The standard errors assume independent reading noise;
 * a single outlier reading moves the slope by at most √3 of the standard error it adds, so z = 3 absorbs it.</li>
 * </ul>
 * A unit has one alarm per kind, naming its channels ({@link #update}).
 */
public final class BurnInAlarmRule {

    /** Kinds of alarm, named as on the alarms topic. */
    public enum Kind {
        SUDDEN_DROP, POWER_DRIFT_PROJECTED, BIAS_DRIFT_PROJECTED
    }

    /** What happened to a unit's alarm of one kind. */
    public enum Transition {
        /** The first channel of the kind alarmed. */
        RAISED,
        /** The alarm's channels changed. */
        UPDATED,
        /** No channel is alarmed any longer: the projection receded. */
        CLEARED
    }

    /**
     * How the rule looks ahead.
     *
     * @param burnInHours planned burn-in duration, h: projections look to its end
     * @param confidenceZ standard errors between the fitted projection and the favourable end that must still cross
     */
    public record Settings(double burnInHours, double confidenceZ) {

        public static Settings defaults() {
            return new Settings(24, 3);
        }

        public Settings withBurnInHours(double hours) {
            return new Settings(hours, confidenceZ);
        }
    }

    /**
     * One channel's finding.
     *
     * @param value the drop (dB), or the fitted drift now (dB, %)
     * @param limit the bound it is about
     * @param slopePerHour the drift's slope (dB/h, %/h), null for a drop
     * @param hoursToLimit the projected hours to the bound along the fitted line, null for a drop
     * @param projected the fitted drift where the judge will measure it, null for a drop
     */
    public record Finding(Kind kind, int channel, double value, double limit, String unitOfMeasure, Double slopePerHour,
            Double hoursToLimit, Double projected, String message) {
    }

    /**
     * A change of a unit's alarm of one kind.
     *
     * @param channels the channels alarmed after it (before it, for a clearance)
     * @param finding the finding that made it; null for a clearance
     */
    public record Change(Transition transition, Kind kind, List<Integer> channels, Finding finding) {
    }

    private BurnInAlarmRule() {
    }

    /**
     * What one channel calls for after a reading.
     *
     * @param tracker the channel's tracker, the reading already added
     * @param dropDb the confirmed power fall the reading revealed (what {@link BurnInChannel#add} returned)
     * @param open the kinds already open on this channel (they hold on the fitted value, not its favourable end)
     * @return the kinds alarmed on this channel now
     */
    public static List<Finding> evaluate(LimitSet limits, int channel, BurnInChannel tracker, double dropDb, Settings settings, Set<Kind> open) {
        List<Finding> findings = new ArrayList<>();
        limits.binding(Parameters.SUDDEN_DROP, channel).ifPresent(limit -> {
            double bound = limit.upper() != null ? limit.upper() : limit.lower();
            if (!limit.passes(dropDb)) {
                findings.add(new Finding(Kind.SUDDEN_DROP, channel, dropDb, bound, "dB", null, null, null, String.format(Locale.ROOT,
                        "channel %d power stepped down %.2f dB and stayed (limit %.2f dB)", channel, dropDb, bound)));
            } else if (open.contains(Kind.SUDDEN_DROP)) {
                findings.add(new Finding(Kind.SUDDEN_DROP, channel, tracker.maxDropDb(), bound, "dB", null, null, null, String.format(Locale.ROOT,
                        "channel %d power stepped down %.2f dB (limit %.2f dB)", channel, tracker.maxDropDb(), bound)));
            }
        });
        if (!tracker.baselineEstablished()) {
            return findings;
        }
        limits.binding(Parameters.POWER_DRIFT, channel).ifPresent(limit -> drift(Kind.POWER_DRIFT_PROJECTED, "power", channel, limit,
                tracker.powerFit(), tracker, settings, open, findings));
        limits.binding(Parameters.BIAS_DRIFT, channel).ifPresent(limit -> drift(Kind.BIAS_DRIFT_PROJECTED, "bias", channel, limit,
                tracker.biasFit(), tracker, settings, open, findings));
        return findings;
    }

    private static void drift(Kind kind, String quantity, int channel, Limit limit, BurnInChannel.Fit fit, BurnInChannel tracker,
            Settings settings, Set<Kind> open, List<Finding> findings) {
        String unit = kind == Kind.POWER_DRIFT_PROJECTED ? "dB" : "%";
        boolean holding = open.contains(kind);
        if (fit == null) {
            if (holding) { // cannot happen once a fit exists (the span only grows); kept open rather than cleared unseen
                findings.add(new Finding(kind, channel, Double.NaN, limit.upper() != null ? limit.upper() : limit.lower(), unit, null, null,
                        null, String.format(Locale.ROOT, "channel %d %s drift: too few readings to project", channel, quantity)));
            }
            return;
        }
        double now = tracker.hoursInRack();
        double at = Math.max(now, settings.burnInHours() - tracker.finalWindowHours() / 2);
        double projected = fit.at(at);
        double margin = holding ? 0 : settings.confidenceZ() * fit.stdErrorAt(at);
        if (Double.isNaN(margin)) {
            return; // residuals unknown (a state kept in format 1): no new alarm until the fit leaves it
        }
        Double bound = null;
        if (limit.upper() != null && projected - margin > limit.upper()) {
            bound = limit.upper();
        } else if (limit.lower() != null && projected + margin < limit.lower()) {
            bound = limit.lower();
        }
        if (bound == null) {
            return;
        }
        double level = fit.at(now);
        double hours = BurnInChannel.hoursToLimit(fit, now, limit.lower(), limit.upper());
        findings.add(new Finding(kind, channel, level, bound, unit, fit.slopePerHour(), Double.isNaN(hours) ? null : hours, projected,
                String.format(Locale.ROOT, "channel %d %s drift %+.3f %s, %+.4f %s/h over the last %.1f h; projected %+.2f %s at %.1f h"
                        + " (limit %+.2f %s)", channel, quantity, level, unit, fit.slopePerHour(), unit, fit.toHours() - fit.fromHours(),
                        projected, unit, at, bound, unit)));
    }

    /**
     * Applies a channel's findings to a unit's open alarms and says what changed, one change per kind at most.
     *
     * @param open the unit's open alarms as {@code channel:KIND} (changed in place)
     */
    public static List<Change> update(Collection<String> open, int channel, List<Finding> findings) {
        List<Change> changes = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<Integer> before = channels(open, kind);
            String key = channel + ":" + kind;
            Finding finding = findings.stream().filter(f -> f.kind() == kind).findFirst().orElse(null);
            if (finding != null && !open.contains(key)) {
                open.add(key);
            } else if (finding == null) {
                open.remove(key);
            }
            List<Integer> after = channels(open, kind);
            if (before.isEmpty() && !after.isEmpty()) {
                changes.add(new Change(Transition.RAISED, kind, after, finding));
            } else if (!before.isEmpty() && after.isEmpty()) {
                changes.add(new Change(Transition.CLEARED, kind, before, null));
            } else if (!before.equals(after)) {
                changes.add(new Change(Transition.UPDATED, kind, after, finding));
            }
        }
        return changes;
    }

    /** The kinds open on one channel. */
    public static Set<Kind> openOn(Collection<String> open, int channel) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (Kind kind : Kind.values()) {
            if (open.contains(channel + ":" + kind)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    /** The channels of a kind in a unit's open alarms, ascending. */
    public static List<Integer> channels(Collection<String> open, Kind kind) {
        Set<Integer> channels = new TreeSet<>();
        String suffix = ":" + kind;
        for (String key : open) {
            if (key.endsWith(suffix)) {
                channels.add(Integer.parseInt(key.substring(0, key.length() - suffix.length())));
            }
        }
        return List.copyOf(channels);
    }
}
