package com.cpo.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.cpo.launcher.ProjectRoot;
import com.cpo.systemtest.containers.ContainerFaultRun;
import com.cpo.systemtest.containers.ContainerLine;

/**
 * The production shape as containers (the images of {@code docker/images/build}, started by Testcontainers): under a
 * station's load a broker leader is killed, another broker is cut off the network, an analytics instance and a service
 * instance are killed, and the ledger finds every event, every verdict once and every figure as without faults. Where
 * no Docker engine answers it says so and is skipped, unless {@code CPO_CONTAINERS_REQUIRED=1} (CI sets it after starting
 * the engine): then a missing engine fails it.
 */
class ContainerPlatformIT {

    @Test
    void theContainersUnderFaultsLoseNothing() throws Exception {
        String missing = ContainerLine.engineMissing();
        if (missing != null && !"1".equals(System.getenv("CPO_CONTAINERS_REQUIRED"))) {
            Assumptions.abort("containers not run: " + missing);
        }
        assertThat(missing).as("a Docker engine (CPO_CONTAINERS_REQUIRED=1)").isNull();
        assertThat(ContainerLine.missingImages()).as("images to build first with docker/images/build").isEmpty();
        Path work = Files.createDirectories(Path.of("target/containers").toAbsolutePath());

        // when 120 units pass one station at 40 a minute, with the four faults
        ContainerFaultRun.Result result = ContainerFaultRun.run(ProjectRoot.find(), Files.createTempDirectory(work, "run-"), 20261129L, 120, 40,
                Duration.ofMinutes(4));
        System.out.println("container run: " + result);

        // then each fault happened
        assertThat(result.proof()).hasSize(6);
        assertThat(String.join("\n", result.proof())).contains("queries routed: ", "killed: exit 137", "left the in-sync replicas", "analytics-1 killed: exit 137", "judged (by analytics-2)",
                "service-1 killed: exit 137",
                "DONE as polled from service-2, which served its workbook");
        assertThat(result.problems()).as("checks of the faults").isEmpty();
        assertThat(result.brokerFailoverSeconds()).isPositive();
        assertThat(result.analyticsFailoverSeconds()).isPositive();
        assertThat(result.serviceRequestsFailed()).isZero();
        // and the ledger found nothing lost, nothing twice, every figure as the rules give
        Ledger.Report report = result.report();
        assertThat(report.runs()).isGreaterThanOrEqualTo(120);
        assertThat(report.examples()).as("what the ledger found").isEmpty();
        assertThat(report.eventsAcknowledged()).isEqualTo(report.eventsWritten());
        assertThat(report.verdictsCommitted()).isEqualTo(report.runs());
        assertThat(report.runsStored()).isEqualTo(report.runs());
        assertThat(report.lost()).isZero();
        assertThat(report.duplicated()).isZero();
    }
}
