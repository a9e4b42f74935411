package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentStep;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;

class VerdictFileTest {

    static Verdict verdict(String station, String serial, int attempt, Operation operation, Outcome outcome) {
        return Verdict.newBuilder().setEventId("verdict:" + station + "/" + serial + "/" + operation + "/" + attempt)
                .setEventTime(Instant.parse("2026-11-24T06:01:00Z")).setRunId(station + "/" + serial + "/" + operation + "/" + attempt)
                .setSerial(serial).setProduct("CPO-OE16").setLot("L261124-01").setStation(station).setOperation(operation).setAttempt(attempt)
                .setRunStartTime(Instant.parse("2026-11-24T06:00:00Z")).setOutcome(outcome).setLimitSetId("CPO-OE16/" + operation)
                .setLimitSetVersion(1).setReason(outcome == Outcome.FAIL ? "coupling loss above limit" : null)
                .setFailedChecks(outcome == Outcome.FAIL
                        ? List.of(FailedCheck.newBuilder().setParameter("coupling_loss").setStep(AlignmentStep.POST_THERMAL).setChannel(7)
                                .setValue(2.631).setLowerLimit(null).setUpperLimit(2.0).setUnitOfMeasure("dB").build())
                        : List.of())
                .build();
    }

    @Test
    void aFailedAlignmentSendsTheUnitToReworkAndNamesTheFailedCheck() {
        // given
        Verdict v = verdict("AA-01", "OE16-AA-01-000007", 1, Operation.ALIGN, Outcome.FAIL);

        // when
        String text = VerdictFile.format(v);

        // then
        assertThat(VerdictFile.fileName(v)).isEqualTo("OE16-AA-01-000007_1.verdict");
        assertThat(text).contains("outcome=FAIL\nnext=REWORK\n", "failed_check=coupling_loss,POST_THERMAL,7,2.631,,2.000,dB\n",
                "limit_set=CPO-OE16/ALIGN@1\n", "verdict_id=verdict:AA-01/OE16-AA-01-000007/ALIGN/1\n").endsWith("[end]\n");
    }

    @Test
    void aBurnInVerdictFileIsNamedForItsOperation() {
        // given
        Verdict v = verdict("BI-01", "OE16-BI-01-000003", 2, Operation.BURNIN, Outcome.PASS);

        // when / then
        assertThat(VerdictFile.fileName(v)).isEqualTo("OE16-BI-01-000003_2.burnin.verdict");
        assertThat(VerdictFile.format(v)).contains("next=NEXT_OPERATION\n").doesNotContain("failed_check");
    }
}
