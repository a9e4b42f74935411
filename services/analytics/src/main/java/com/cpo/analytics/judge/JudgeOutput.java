package com.cpo.analytics.judge;

import com.cpo.analytics.yield.YieldContribution;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInStatus;
import com.cpo.events.Verdict;

/** What the run judge emits, one type per destination; the topology routes each to its topic or aggregation. */
public sealed interface JudgeOutput {

    record VerdictOut(Verdict verdict) implements JudgeOutput {
    }

    record AlarmOut(BurnInAlarm alarm) implements JudgeOutput {
    }

    /** A null status is the tombstone of a unit that left the rack. */
    record StatusOut(BurnInStatus status) implements JudgeOutput {
    }

    /** Buffered coupling-loss values of one scope. */
    record StatisticsOut(byte[] entries) implements JudgeOutput {
    }

    /** What a group's yield changes by. */
    record YieldDeltaOut(YieldContribution delta) implements JudgeOutput {
    }

    /** A station event too late to count where it belongs, as received, reason in headers. */
    record CorrectionOut(byte[] value) implements JudgeOutput {
    }

    /** A record that cannot be decoded or judged, as received, reason in headers. */
    record DeadLetterOut(byte[] value) implements JudgeOutput {
    }
}
