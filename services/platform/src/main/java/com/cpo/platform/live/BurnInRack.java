package com.cpo.platform.live;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.cpo.events.BurnInChannelStatus;
import com.cpo.events.BurnInStatus;
import com.cpo.platform.live.LiveHub.RackView;
import com.cpo.platform.live.LiveViews.RackUnitView;

/**
 * The rack panel's figures: the latest status of every unit in a burn-in rack, as the analytics app writes
 * them to its compacted status topic (drift, slope and hours to limit per channel, against the limit set in
 * force at the run's start: the same projection its alarms come from), and gone with the run's tombstone.
 * Pushed, never polled: the {@link LiveFeed} applies each record and hands the changed rack to the hub at
 * most once a second. Used by the feed's thread only.
 */
final class BurnInRack {

    private final Map<String, RackUnitView> units = new HashMap<>();
    private boolean changed;
    private String lastError;

    /** A unit's new status. */
    void put(String runId, BurnInStatus status) {
        units.put(runId, unitOf(status));
        changed = true;
    }

    /** The unit left the rack (its run was judged). */
    void remove(String runId) {
        changed |= units.remove(runId) != null;
    }

    /** Makes the next {@link #takeChange} answer even if no unit changed (the first view once caught up). */
    void markChanged() {
        changed = true;
    }

    /**
     * The rack, nearest to a limit first, when it changed since the last call (or its error did); null otherwise.
     *
     * @param error why the figures are missing (the topic does not exist yet), null when they are there
     */
    RackView takeChange(Instant now, String source, String error) {
        if (!changed && java.util.Objects.equals(error, lastError)) {
            return null;
        }
        changed = false;
        lastError = error;
        List<RackUnitView> rows = new ArrayList<>(units.values());
        rows.sort(Comparator.comparing((RackUnitView r) -> r.hoursToLimit() == null ? Double.MAX_VALUE : r.hoursToLimit())
                .thenComparing(r -> r.station() == null ? "" : r.station())
                .thenComparing(r -> r.slot() == null ? Integer.MAX_VALUE : r.slot())
                .thenComparing(RackUnitView::runId));
        return new RackView(now, source, error, List.copyOf(rows));
    }

    /**
     * One row per unit: its channel nearest (in projected hours, else in drift) to the power-drift limit, the
     * largest bias drift and the largest sudden drop of any channel.
     */
    static RackUnitView unitOf(BurnInStatus s) {
        BurnInChannelStatus worst = null;
        double maxDrop = 0;
        Double maxBias = null;
        for (BurnInChannelStatus c : s.getChannels()) {
            maxDrop = Math.max(maxDrop, c.getMaxDropDb());
            Double bias = c.getBiasDriftPct();
            if (bias != null && (maxBias == null || Math.abs(bias) > Math.abs(maxBias))) {
                maxBias = bias;
            }
            if (worst == null || nearer(c, worst)) {
                worst = c;
            }
        }
        Double drift = worst == null ? null : worst.getPowerDriftDb();
        Double slope = worst == null ? null : worst.getPowerSlopeDbPerHour();
        Double limitTowards = null;
        if (worst != null && drift != null) {
            boolean downwards = slope != null ? slope < 0 : drift < 0;
            limitTowards = downwards ? worst.getPowerDriftLowerLimitDb() : worst.getPowerDriftUpperLimitDb();
        }
        return new RackUnitView(s.getRunId(), s.getSerial(), s.getProduct(), s.getLot(), s.getStation(), s.getSlot(), s.getHoursInRack(),
                s.getChannels().size(), worst == null ? null : worst.getChannel(), drift, slope, limitTowards,
                worst == null ? null : worst.getPowerHoursToLimit(), maxBias, maxDrop);
    }

    /** Whether {@code c} is nearer its power-drift limit than {@code than}: fewer projected hours, else more drift. */
    private static boolean nearer(BurnInChannelStatus c, BurnInChannelStatus than) {
        Double hours = c.getPowerHoursToLimit();
        Double thanHours = than.getPowerHoursToLimit();
        if (hours != null || thanHours != null) {
            return hours != null && (thanHours == null || hours < thanHours);
        }
        return abs(c.getPowerDriftDb()) > abs(than.getPowerDriftDb());
    }

    private static double abs(Double v) {
        return v == null ? 0 : Math.abs(v);
    }
}
