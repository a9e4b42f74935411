package com.cpo.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.cpo.launcher.ProjectRoot;
import com.cpo.systemtest.FaultRun;
import com.cpo.systemtest.Scenario;
import com.cpo.systemtest.Scenarios;

/**
 * {@code ./benchmarks/run faults [SCENARIO ...]}: every fault scenario (or the named ones) on a fresh three-node
 * cluster and platform under the load of two alignment stations and a burn-in rack, each ending with the ledger; a
 * table, then {@code scenarios}, {@code events_written}, {@code lost}, {@code duplicated_with_different_content} and
 * {@code figures_differing}. Load: {@code bench.units} per station (60) at {@code bench.units-per-minute} (40).
 */
final class FaultsBenchmark {

    private FaultsBenchmark() {
    }

    static void run(String[] names) throws Exception {
        List<Scenario> scenarios = new ArrayList<>();
        if (names.length == 0) {
            scenarios.addAll(Scenarios.all());
        } else {
            for (String name : names) {
                scenarios.add(Scenarios.named(name));
            }
        }
        FaultRun.Settings settings = new FaultRun.Settings(ProjectRoot.find(), Path.of("target/faults").toAbsolutePath(),
                Long.getLong("bench.seed", 20261124L), Integer.getInteger("bench.units", 60),
                Double.parseDouble(System.getProperty("bench.units-per-minute", "40")), Integer.getInteger("bench.rack-units", 8), 720,
                Duration.ofMinutes(8));
        System.err.printf("faults: %d scenarios, %d units per station at %.0f/min, %d burn-in units%n", scenarios.size(),
                settings.unitsPerStation(), settings.unitsPerMinute(), settings.rackUnits());
        List<FaultRun.Row> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            rows.add(FaultRun.run(scenario, settings));
            System.err.print(FaultRun.table(rows));
        }
        System.out.print(FaultRun.table(rows));
    }
}
