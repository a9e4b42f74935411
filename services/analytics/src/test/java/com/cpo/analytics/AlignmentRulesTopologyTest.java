package com.cpo.analytics;

import static com.cpo.analytics.StreamFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;

class AlignmentRulesTopologyTest {

    private StreamFixture f;

    @BeforeEach
    void start() {
        f = new StreamFixture();
        f.releaseLimits("CPO-OE16/ALIGN", Operation.ALIGN, List.of(
                StreamFixture.limit("coupling_loss", null, 2.0, "dB"),
                StreamFixture.limit("cure_shift", null, 0.3, "dB"),
                StreamFixture.limit("pdl", null, 0.5, "dB"),
                StreamFixture.limit("channel_spread", null, 1.0, "dB")));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void everyFailedCheckOfTheRunIsInTheVerdictWithValueLimitAndUnit() {
        // given a run where channel 2 shifts 0.5 dB in cure, channel 4 has 0.7 dB PDL after UV, and the
        // post-thermal spread is 1.2 dB
        List<SpecificRecord> run = new ArrayList<>(StreamFixture.alignmentRun("SN1", "L1", "AA-01", 1, T0, StreamFixture.channels(4, 1.0)));
        run.set(2, result("SN1", AlignmentStep.POST_UV, new double[] {1.0, 1.1, 1.0, 1.0}, new double[] {0.1, 0.1, 0.1, 0.7}));
        run.set(3, result("SN1", AlignmentStep.POST_THERMAL, new double[] {0.8, 1.5, 1.0, 2.0}, new double[] {0.1, 0.1, 0.1, 0.1}));

        // when
        f.send("SN1", run);

        // then
        Verdict verdict = f.read(f.output(Topics.VERDICTS.name()), Verdict.class).get(0);
        assertThat(verdict.getOutcome()).isEqualTo(Outcome.FAIL);
        assertThat(verdict.getFailedChecks())
                .extracting(FailedCheck::getParameter, FailedCheck::getChannel, FailedCheck::getStep)
                .containsExactlyInAnyOrder(
                        tuple("pdl", 4, AlignmentStep.POST_UV),
                        tuple("cure_shift", 2, null),
                        tuple("cure_shift", 4, null),
                        tuple("channel_spread", null, AlignmentStep.POST_THERMAL));
        FailedCheck spread = verdict.getFailedChecks().stream().filter(c -> c.getParameter().equals("channel_spread")).findFirst().orElseThrow();
        assertThat(spread.getValue()).isEqualTo(1.2);
        assertThat(spread.getUpperLimit()).isEqualTo(1.0);
        assertThat(spread.getUnitOfMeasure()).isEqualTo("dB");
    }

    private static AlignmentResult result(String serial, AlignmentStep step, double[] lossDb, double[] pdlDb) {
        String runId = "AA-01/" + serial + "/ALIGN/1";
        List<ChannelAlignment> channels = new ArrayList<>();
        for (int ch = 0; ch < lossDb.length; ch++) {
            channels.add(new ChannelAlignment(ch + 1, lossDb[ch], pdlDb[ch]));
        }
        return AlignmentResult.newBuilder().setEventId(runId + ":" + step).setEventTime(T0.plusSeconds(30)).setRunId(runId).setSerial(serial)
                .setStation("AA-01").setStep(step).setChannels(channels).build();
    }
}
