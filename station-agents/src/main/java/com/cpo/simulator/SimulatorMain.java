package com.cpo.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the simulators: plays an active-alignment tester or a burn-in rack into a folder. */
@Command(name = "simulator", mixinStandardHelpOptions = true, subcommands = {SimulatorMain.Align.class, SimulatorMain.BurnIn.class},
        description = "Writes tester files as a simulated tester or rack does, deterministic for a seed.")
public final class SimulatorMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "align", mixinStandardHelpOptions = true, description = "An active-alignment tester: one result file per unit run.")
    static final class Align implements Callable<Integer> {
        @Option(names = "--station", defaultValue = "AA-01", description = "Station id. Default: ${DEFAULT-VALUE}.")
        String station;
        @Option(names = "--output", required = true, description = "Folder the result files are written to.")
        Path output;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
        long seed;
        @Option(names = "--units", defaultValue = "100", description = "New units to test (retests come on top). Default: ${DEFAULT-VALUE}.")
        int units;
        @Option(names = "--units-per-hour", defaultValue = "80", description = "Pace, in real time; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
        double unitsPerHour;
        @Option(names = "--scan", defaultValue = "0", description = "Points per axis of the power-vs-position scan; 0 = none. Default: ${DEFAULT-VALUE}.")
        int scan;

        @Override
        public Integer call() throws InterruptedException {
            AlignmentSimulator simulator = new AlignmentSimulator(AlignmentSimulator.Config.defaults(seed).withStation(station)).withScan(scan);
            long pauseMs = unitsPerHour > 0 ? Math.round(3_600_000 / unitsPerHour) : 0;
            for (SimulatedRun run : simulator.runUnits(units)) {
                simulator.write(run, output);
                System.err.println("wrote " + run.fileName());
                Thread.sleep(pauseMs);
            }
            return 0;
        }
    }

    @Command(name = "burnin", mixinStandardHelpOptions = true, description = "A burn-in rack: one log, appended to as readings are taken.")
    static final class BurnIn implements Callable<Integer> {
        @Option(names = "--station", defaultValue = "BI-01", description = "Rack id. Default: ${DEFAULT-VALUE}.")
        String station;
        @Option(names = "--output", required = true, description = "Folder the log is written to.")
        Path output;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
        long seed;
        @Option(names = "--units", defaultValue = "16", description = "New units to burn in (retests come on top). Default: ${DEFAULT-VALUE}.")
        int units;
        @Option(names = "--slots", defaultValue = "16", description = "Slots in the rack. Default: ${DEFAULT-VALUE}.")
        int slots;
        @Option(names = "--channels", defaultValue = "16", description = "Channels per unit. Default: ${DEFAULT-VALUE}.")
        int channels;
        @Option(names = "--interval-s", defaultValue = "60", description = "Seconds between readings. Default: ${DEFAULT-VALUE}.")
        long intervalS;
        @Option(names = "--hours", defaultValue = "24", description = "Burn-in duration per unit, hours. Default: ${DEFAULT-VALUE}.")
        long hours;
        @Option(names = "--speedup", defaultValue = "3600",
                description = "Simulated seconds per real second (1 = real time, 86400 = a day per second); 0 = write at once. Default: ${DEFAULT-VALUE}.")
        double speedup;
        @Option(names = "--mix", defaultValue = "power=0.03,bias=0.02,drop=0.03,settling=0.1,outlier=0.05,noisy=0.05,marginal=0.05",
                description = "Shares of units per profile (power, bias, drop: meant to fail; settling, outlier, noisy, marginal: meant to pass);"
                        + " the rest is stable. Default: ${DEFAULT-VALUE}.")
        String mix;

        @Override
        public Integer call() throws InterruptedException {
            Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            BurnInSimulator simulator = new BurnInSimulator(BurnInSimulator.Config.defaults(seed).withStation(station).withRack(slots, channels)
                    .withTiming(Duration.ofSeconds(intervalS), Duration.ofHours(hours)).withSimulatedStart(start)
                    .withMix(BurnInMix.parse(mix), 0.01, 0.6));
            Path log = output.resolve(station + "_" + DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(start)
                    + ".burnin");
            var lines = simulator.runUnits(units);
            if (speedup > 0) {
                BurnInSimulator.play(log, lines, speedup);
            } else {
                BurnInSimulator.append(log, lines);
            }
            System.err.println("wrote " + lines.size() + " lines to " + log);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }
}
