package com.cpo.analytics.burnin;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.cpo.analytics.state.RunState;
import com.cpo.analytics.state.StateBytes;
import com.cpo.domain.BurnInAlarmRule;
import com.cpo.domain.BurnInChannel;
import com.cpo.domain.LimitSet;
import com.cpo.events.AlarmKind;
import com.cpo.events.AlarmTransition;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInReading;
import com.cpo.events.BurnInStatus;
import com.cpo.events.RunStarted;

/**
 * Watches a burn-in run while its unit is in the rack: folds each reading into its channel's tracker (the domain's
 * {@link BurnInChannel}, kept in the run's state), applies the domain's {@link BurnInAlarmRule} to the run's open alarms
 * (kept in the run's state as {@code channel:KIND}) and sends each change of the run's alarm of a kind (raised, channels
 * updated, cleared), and sends where the unit stands at most once a second, and with each alarm change.
 */
public final class BurnInWatch {

    /** Where the watch's findings go. */
    public interface Outputs {
        void alarm(String serial, BurnInAlarm alarm);

        /** A null status is the tombstone of a unit that left the rack. */
        void status(String runId, BurnInStatus status, long timestampMs);
    }

    private static final double MS_PER_HOUR = 3_600_000.0;
    private final BurnInAlarmRule.Settings settings;
    private final Outputs outputs;
    /**
     * Runs with readings folded in since their status was last sent; their statuses go out with the once-a-second
     * flush. Not a store: a restart forgets it, and the next reading of each run sends its status.
     */
    private final Set<String> changed = new LinkedHashSet<>();

    /** @param burnInDuration the planned burn-in: projections look to its end */
    public BurnInWatch(java.time.Duration burnInDuration, Outputs outputs) {
        this.settings = BurnInAlarmRule.Settings.defaults().withBurnInHours(burnInDuration.toMillis() / MS_PER_HOUR);
        this.outputs = outputs;
    }

    /**
     * Folds a reading into its channel's tracker and raises the alarms it calls for; false when it changes nothing (a
     * redelivery: not after the channel's latest reading).
     */
    public boolean track(RunState state, BurnInReading reading, RunStarted started, LimitSet limits, long timestampMs) {
        String channelKey = Integer.toString(reading.getChannel());
        ByteBuffer trackerBytes = state.getBurnInChannels().get(channelKey);
        BurnInChannel tracker = trackerBytes == null ? BurnInChannel.withDefaultWindows() : BurnInChannel.fromBytes(StateBytes.of(trackerBytes));
        long timeMs = reading.getEventTime().toEpochMilli();
        if (!tracker.accepts(timeMs)) {
            return false;
        }
        double dropDb = tracker.add(timeMs, reading.getPowerDbm(), reading.getBiasCurrentMa());
        state.getBurnInChannels().put(channelKey, ByteBuffer.wrap(tracker.toBytes()));
        state.getBurnInSlots().put(channelKey, reading.getSlot());
        state.setMeasurementCount(state.getMeasurementCount() + 1);
        changed.add(state.getRunId());
        if (limits != null) {
            int channel = reading.getChannel();
            List<BurnInAlarmRule.Finding> findings = BurnInAlarmRule.evaluate(limits, channel, tracker, dropDb, settings,
                    BurnInAlarmRule.openOn(state.getAlarmed(), channel));
            List<BurnInAlarmRule.Change> changes = BurnInAlarmRule.update(state.getAlarmed(), channel, findings);
            if (!changes.isEmpty()) {
                // the unit's status first, so a dashboard knows the unit (its product and lot) when the alarm comes
                changed.remove(state.getRunId());
                sendStatus(state, started, limits, timestampMs);
                for (BurnInAlarmRule.Change change : changes) {
                    outputs.alarm(reading.getSerial(), alarm(state, reading, change));
                }
            }
        }
        return true;
    }

    private static BurnInAlarm alarm(RunState state, BurnInReading reading, BurnInAlarmRule.Change change) {
        BurnInAlarmRule.Finding f = change.finding();
        String message = f != null ? f.message()
                : String.format(java.util.Locale.ROOT, "%s cleared on channel%s %s: the projection receded", change.kind(),
                        change.channels().size() == 1 ? "" : "s", change.channels());
        if (change.transition() == BurnInAlarmRule.Transition.UPDATED) {
            message = "channels now " + change.channels() + "; " + message;
        }
        return BurnInAlarm.newBuilder()
                .setEventId(state.getRunId() + ":" + change.kind() + ":" + change.transition() + ":" + reading.getEventTime().toEpochMilli())
                .setEventTime(reading.getEventTime())
                .setRunId(state.getRunId())
                .setSerial(reading.getSerial())
                .setStation(reading.getStation())
                .setSlot(reading.getSlot())
                .setChannel(f != null ? f.channel() : change.channels().get(0))
                .setKind(AlarmKind.valueOf(change.kind().name()))
                .setTransition(AlarmTransition.valueOf(change.transition().name()))
                .setChannels(change.channels())
                .setValue(f != null ? f.value() : Double.NaN)
                .setLimit(f != null ? f.limit() : Double.NaN)
                .setUnitOfMeasure(f != null ? f.unitOfMeasure() : change.kind() == BurnInAlarmRule.Kind.BIAS_DRIFT_PROJECTED ? "%" : "dB")
                .setSlopePerHour(f != null ? f.slopePerHour() : null)
                .setHoursToLimit(f != null ? f.hoursToLimit() : null)
                .setProjected(f != null ? f.projected() : null)
                .setMessage(message)
                .build();
    }

    /** Sends the status of every run whose readings changed since the last flush. */
    public void flush(long nowMs, Function<String, RunState> runs, Function<RunState, RunStarted> startedOf, Function<RunStarted, LimitSet> limitsOf) {
        for (String runId : changed) {
            RunState state = runs.apply(runId);
            if (state != null && !state.getJudged() && state.getStarted() != null) {
                RunStarted started = startedOf.apply(state);
                sendStatus(state, started, limitsOf.apply(started), nowMs);
            }
        }
        changed.clear();
    }

    private void sendStatus(RunState state, RunStarted started, LimitSet limits, long timestampMs) {
        BurnInStatus status = BurnInStatuses.of(state, started, limits);
        if (status != null) {
            outputs.status(state.getRunId(), status, timestampMs);
        }
    }

    /** The unit left the rack: its status goes (a tombstone on the compacted status topic). */
    public void left(String runId, long timestampMs) {
        changed.remove(runId);
        outputs.status(runId, null, timestampMs);
    }
}
