package com.cpo.analytics.burnin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.cpo.analytics.state.RunState;
import com.cpo.analytics.state.StateBytes;
import com.cpo.domain.BurnInChannel;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.events.BurnInChannelStatus;
import com.cpo.events.BurnInStatus;
import com.cpo.events.RunStarted;

/**
 * Where a unit in a burn-in rack stands: its channel trackers read out with the drift limits of the limit
 * set in force at the run's start. The projections are the domain's ({@link BurnInChannel}), the same
 * ones the alarms are raised from.
 */
public final class BurnInStatuses {

    private BurnInStatuses() {
    }

    /** The status of a run in the rack; null when it has no readings yet. */
    public static BurnInStatus of(RunState state, RunStarted started, LimitSet limits) {
        Map<Integer, BurnInChannel> trackers = new TreeMap<>();
        state.getBurnInChannels().forEach((k, v) -> trackers.put(Integer.parseInt(k), BurnInChannel.fromBytes(StateBytes.of(v))));
        if (trackers.isEmpty()) {
            return null;
        }
        List<BurnInChannelStatus> channels = new ArrayList<>(trackers.size());
        long latestMs = Long.MIN_VALUE;
        double hoursInRack = 0;
        Integer slot = null;
        for (Map.Entry<Integer, BurnInChannel> entry : trackers.entrySet()) {
            int channel = entry.getKey();
            BurnInChannel c = entry.getValue();
            latestMs = Math.max(latestMs, c.lastTimeMs());
            hoursInRack = Math.max(hoursInRack, c.hoursInRack());
            Integer channelSlot = state.getBurnInSlots().get(Integer.toString(channel));
            slot = channelSlot != null ? channelSlot : slot;
            Double[] power = bounds(limits, Parameters.POWER_DRIFT, channel);
            Double[] bias = bounds(limits, Parameters.BIAS_DRIFT, channel);
            boolean baseline = c.baselineEstablished();
            channels.add(BurnInChannelStatus.newBuilder()
                    .setChannel(channel)
                    .setReadings((int) Math.min(Integer.MAX_VALUE, c.readings()))
                    .setBaselinePowerDbm(baseline ? finite(c.baselinePowerDbm()) : null)
                    .setPowerDriftDb(baseline ? finite(c.powerDriftDb()) : null)
                    .setPowerSlopeDbPerHour(finite(c.powerSlopeDbPerHour()))
                    .setPowerDriftLowerLimitDb(power[0])
                    .setPowerDriftUpperLimitDb(power[1])
                    .setPowerHoursToLimit(baseline && (power[0] != null || power[1] != null) ? finite(c.powerHoursToLimit(power[0], power[1])) : null)
                    .setBiasDriftPct(baseline ? finite(c.biasDriftPct()) : null)
                    .setBiasSlopePctPerHour(finite(c.biasSlopePctPerHour()))
                    .setBiasHoursToLimit(baseline && (bias[0] != null || bias[1] != null) ? finite(c.biasHoursToLimit(bias[0], bias[1])) : null)
                    .setMaxDropDb(c.maxDropDb())
                    .build());
        }
        return BurnInStatus.newBuilder()
                .setRunId(started.getRunId())
                .setSerial(started.getSerial())
                .setProduct(started.getProduct())
                .setLot(started.getLot())
                .setStation(started.getStation())
                .setSlot(slot)
                .setEventTime(Instant.ofEpochMilli(latestMs))
                .setHoursInRack(hoursInRack)
                .setLimitSetId(limits == null ? null : limits.id())
                .setLimitSetVersion(limits == null ? null : limits.version())
                .setChannels(channels)
                .build();
    }

    /** {lower, upper} of the limit that binds the channel ({@link LimitSet#binding}), nulls where there is none. */
    static Double[] bounds(LimitSet limits, String parameter, int channel) {
        Limit limit = limits == null ? null : limits.binding(parameter, channel).orElse(null);
        return new Double[] {limit == null ? null : limit.lower(), limit == null ? null : limit.upper()};
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
