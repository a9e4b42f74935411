package com.cpo.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.launcher.ProjectRoot;

/**
 * The short version of {@code ./benchmarks/run faults}: on a three-node cluster under load, a broker leader, an agent
 * and the analytics app are SIGKILLed, poison records and hostile tester files arrive, and the ledger finds nothing
 * lost, nothing duplicated and every figure equal to what the domain rules give the written data.
 */
class FaultScenariosIT {

    @Test
    void underOneOfEachFaultNothingIsLostOrCountedTwice() throws Exception {
        // given the quick scenario's load: two stations of 24 units, 8 units in burn-in
        FaultRun.Settings settings = new FaultRun.Settings(ProjectRoot.find(), Path.of("target/faults").toAbsolutePath(), 20261124L, 24, 24, 8,
                720, Duration.ofMinutes(5));

        // when
        FaultRun.Row row = FaultRun.run(Scenarios.quick().get(0), settings);
        System.out.print(FaultRun.table(List.of(row)));

        // then every fault really happened
        assertThat(row.proof()).contains("leader node", "agent AA-01 pid", "analytics pid", "5 hostile files quarantined")
                .doesNotContain("STILL ALIVE");
        assertThat(row.proof().split("exit 137", -1)).hasSize(4); // leader, agent, analytics
        // and the ledger found every event, every verdict once, every figure as without faults
        Ledger.Report report = row.report();
        assertThat(report.eventsWritten()).isGreaterThan(1000);
        assertThat(report.runs()).isGreaterThan(48);
        assertThat(report.examples()).as("what the ledger found").isEmpty();
        assertThat(report.eventsAcknowledged()).isEqualTo(report.eventsWritten());
        assertThat(report.verdictsCommitted()).isEqualTo(report.runs());
        assertThat(report.runsStored()).isEqualTo(report.runs());
        assertThat(report.foreignEvents()).isEqualTo(5); // the poison
        assertThat(row.scenarioProblems()).isEmpty();
    }
}
