package com.cpo.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.cpo.events.AlignmentStep;

/**
 * A simulated active-alignment tester: makes unit runs with realistic coupling-loss values (per channel
 * ~ N(mean, sigma) before cure, plus a cure shift ~ N(0.08, 0.06) dB; a share of units with one defective
 * channel at 2.5–4 dB), reworks a share of the failing units and retests them a few units later, and
 * writes each run as a tester would (to a {@code .part} file, renamed when complete). Deterministic
 * for a seed.
 */
public final class AlignmentSimulator {

    /**
     * What to simulate.
     *
     * @param seed random seed; the same seed gives the same runs
     * @param product product part number
     * @param station station id
     * @param channels fiber channels per unit (8–16)
     * @param unitsPerLot units in each lot
     * @param meanLossDb mean pre-cure coupling loss, dB
     * @param sigmaLossDb standard deviation of pre-cure coupling loss, dB
     * @param defectRate share of first runs with one defective channel
     * @param reworkRate share of failing runs that are reworked and retested
     * @param upperLimitDb the limit the tester's operator knows: a run above it is a candidate for rework
     * @param cycleTime simulated duration of one run
     * @param simulatedStart null for real time (a run ends when it is made); else the simulated line starts
     *        then and each run advances its own clock by the cycle time (a day of production in seconds)
     * @param lotPrefix first part of lot names
     * @param reworkStation where reworked units are retested; null: at the station that tested them first
     * @param abortRate share of runs the operator aborts (written with aborted=true: INCOMPLETE)
     */
    public record Config(long seed, String product, String station, int channels, int unitsPerLot, double meanLossDb,
            double sigmaLossDb, double defectRate, double reworkRate, double upperLimitDb, Duration cycleTime,
            Instant simulatedStart, String lotPrefix, String reworkStation, double abortRate) {

        public static Config defaults(long seed) {
            return new Config(seed, "CPO-OE16", "AA-01", 16, 25, 1.2, 0.25, 0.08, 0.6, 2.0, Duration.ofSeconds(45),
                    null, "L" + DateTimeFormatter.ofPattern("yyMMdd").withZone(ZoneOffset.UTC).format(Instant.now()), null, 0);
        }

        /** Another product, with its channel count. */
        public Config withProduct(String p, int channelCount) {
            return new Config(seed, p, station, channelCount, unitsPerLot, meanLossDb, sigmaLossDb, defectRate, reworkRate, upperLimitDb,
                    cycleTime, simulatedStart, lotPrefix, reworkStation, abortRate);
        }

        /** Retests at a rework station, some runs aborted, and a cycle time (spread a day over shifts). */
        public Config withRework(String station, double aborts, Duration cycle) {
            return new Config(seed, product, this.station, channels, unitsPerLot, meanLossDb, sigmaLossDb, defectRate, reworkRate,
                    upperLimitDb, cycle, simulatedStart, lotPrefix, station, aborts);
        }

        public Config withSimulatedStart(Instant start) {
            return new Config(seed, product, station, channels, unitsPerLot, meanLossDb, sigmaLossDb, defectRate, reworkRate,
                    upperLimitDb, cycleTime, start, lotPrefix, reworkStation, abortRate);
        }

        public Config withStation(String s) {
            return new Config(seed, product, s, channels, unitsPerLot, meanLossDb, sigmaLossDb, defectRate, reworkRate, upperLimitDb,
                    cycleTime, simulatedStart, lotPrefix, reworkStation, abortRate);
        }

        public Config withLotPrefix(String prefix) {
            return new Config(seed, product, station, channels, unitsPerLot, meanLossDb, sigmaLossDb, defectRate, reworkRate,
                    upperLimitDb, cycleTime, simulatedStart, prefix, reworkStation, abortRate);
        }
    }

    private static final int RETEST_DELAY_UNITS = 3;

    private final Config config;
    private final SplittableRandom random;
    private final Deque<PendingRetest> retests = new ArrayDeque<>();
    private final List<SimulatedRun> made = new ArrayList<>();
    private int unitsStarted;
    private Instant simulatedNow;
    private int scanPointsPerAxis;

    private record PendingRetest(SimulatedRun failed, int dueAfterUnit) {
    }

    public AlignmentSimulator(Config config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.simulatedNow = config.simulatedStart();
    }

    /** The next run: a due retest if there is one, else the first run of a new unit. */
    public SimulatedRun next() {
        PendingRetest due = retests.peekFirst();
        SimulatedRun run;
        if (due != null && due.dueAfterUnit() <= unitsStarted) {
            retests.removeFirst();
            SimulatedRun failed = due.failed();
            run = makeRun(failed.serial(), failed.lot(), failed.attempt() + 1, false);
        } else {
            int index = unitsStarted++;
            String lot = String.format(Locale.ROOT, "%s-%02d", config.lotPrefix(), index / config.unitsPerLot() + 1);
            String serial = String.format(Locale.ROOT, "OE%d-%s-%06d", config.channels(), config.station(), index + 1);
            run = makeRun(serial, lot, 1, random.nextDouble() < config.defectRate());
        }
        if ((run.aborted() || !run.channelsAbove(config.upperLimitDb()).isEmpty()) && run.attempt() < 3
                && random.nextDouble() < config.reworkRate()) {
            retests.addLast(new PendingRetest(run, unitsStarted + RETEST_DELAY_UNITS));
        }
        made.add(run);
        return run;
    }

    /** Runs until every unit's pending retest is made: the N-unit lot is then fully simulated. */
    public List<SimulatedRun> runUnits(int units) {
        List<SimulatedRun> runs = new ArrayList<>();
        while (unitsStarted < units) {
            runs.add(next());
        }
        while (!retests.isEmpty()) {
            runs.add(makeDueRetest());
        }
        return runs;
    }

    private SimulatedRun makeDueRetest() {
        PendingRetest due = retests.removeFirst();
        SimulatedRun failed = due.failed();
        SimulatedRun run = makeRun(failed.serial(), failed.lot(), failed.attempt() + 1, false);
        made.add(run);
        return run;
    }

    private SimulatedRun makeRun(String serial, String lot, int attempt, boolean defect) {
        int channels = config.channels();
        double[][] loss = new double[AlignmentStep.values().length][channels];
        double[][] pdl = new double[AlignmentStep.values().length][channels];
        int defectChannel = defect ? 1 + random.nextInt(channels) : 0;
        for (int ch = 0; ch < channels; ch++) {
            double pre = config.meanLossDb() + config.sigmaLossDb() * gaussian();
            if (ch + 1 == defectChannel) {
                pre = 2.5 + 1.5 * random.nextDouble();
            }
            pre = Math.max(0.3, pre);
            double shift = 0.08 + 0.06 * gaussian();
            double channelPdl = 0.05 + 0.35 * random.nextDouble();
            loss[AlignmentStep.PRE_CURE.ordinal()][ch] = round3(pre);
            loss[AlignmentStep.POST_UV.ordinal()][ch] = round3(pre + 0.6 * shift);
            loss[AlignmentStep.POST_THERMAL.ordinal()][ch] = round3(pre + shift);
            for (AlignmentStep step : AlignmentStep.values()) {
                pdl[step.ordinal()][ch] = round3(channelPdl + 0.01 * gaussian());
            }
        }
        Instant start;
        Instant end;
        if (simulatedNow == null) {
            end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            start = end.minus(config.cycleTime());
        } else {
            start = simulatedNow;
            end = start.plus(config.cycleTime());
            simulatedNow = end.plusSeconds(5);
        }
        String operator = String.format(Locale.ROOT, "op%02d", 1 + (unitsStarted / 50) % 3);
        String station = attempt > 1 && config.reworkStation() != null ? config.reworkStation() : config.station();
        boolean aborted = config.abortRate() > 0 && random.nextDouble() < config.abortRate();
        return new SimulatedRun(serial, lot, config.product(), station, operator, attempt, start, end, loss, pdl, defectChannel, aborted);
    }

    private double gaussian() {
        // Box–Muller on the seeded generator, so runs are reproducible across JDKs
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /**
     * Also write the power-vs-position scan of the pre-cure peak search: per channel a square raster of
     * {@code pointsPerAxis}² positions over ±1 µm around the peak (0 to leave it out, the default).
     */
    public AlignmentSimulator withScan(int pointsPerAxis) {
        this.scanPointsPerAxis = pointsPerAxis;
        return this;
    }

    /** Every run made so far, in order. */
    public List<SimulatedRun> made() {
        return List.copyOf(made);
    }

    /**
     * Writes a run as the tester does: to {@code NAME.part}, then renamed to {@code NAME}, so a reader
     * never sees half a file.
     */
    public Path write(SimulatedRun run, Path dir) {
        try {
            Files.createDirectories(dir);
            Path part = dir.resolve(run.fileName() + ".part");
            Files.writeString(part, format(run), StandardCharsets.UTF_8);
            return Files.move(part, dir.resolve(run.fileName()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run.fileName() + " to " + dir, e);
        }
    }

    /** The file content of a run, format 1 (see station-agents/README.md). */
    public String format(SimulatedRun run) {
        StringBuilder out = new StringBuilder(4096);
        out.append("# CPO active-alignment result, format 1\n");
        out.append("[header]\n");
        out.append("serial=").append(run.serial()).append('\n');
        out.append("lot=").append(run.lot()).append('\n');
        out.append("product=").append(run.product()).append('\n');
        out.append("station=").append(run.station()).append('\n');
        out.append("operator=").append(run.operator()).append('\n');
        out.append("limit_set=").append(run.product()).append("/ALIGN\n");
        out.append("attempt=").append(run.attempt()).append('\n');
        out.append("start=").append(run.start()).append('\n');
        out.append("end=").append(run.end()).append('\n');
        out.append("channels=").append(run.channels()).append('\n');
        out.append("aborted=").append(run.aborted()).append('\n');
        // genealogy, fixed by the serial (a retest names the same parts): the PIC's wafer and die, the fiber array unit
        int n = Math.floorMod(run.serial().hashCode(), 10_000);
        out.append("pic_wafer=PW").append(run.lot().replaceAll("[^A-Za-z0-9]", "")).append('-').append(1 + n % 25).append('\n');
        out.append("pic_die=X").append(String.format(Locale.ROOT, "%02dY%02d", n % 31, (n / 31) % 31)).append('\n');
        out.append("fiber_array=FAU-").append(String.format(Locale.ROOT, "%06d", 100_000 + n * 7 % 900_000)).append('\n');
        out.append("[results]\n");
        out.append("step,channel,coupling_loss_db,pdl_db\n");
        for (AlignmentStep step : AlignmentStep.values()) {
            for (int ch = 1; ch <= run.channels(); ch++) {
                out.append(step.name()).append(',').append(ch).append(',')
                        .append(String.format(Locale.ROOT, "%.3f", run.couplingLossDb()[step.ordinal()][ch - 1])).append(',')
                        .append(String.format(Locale.ROOT, "%.3f", run.pdlDb()[step.ordinal()][ch - 1])).append('\n');
            }
        }
        if (scanPointsPerAxis > 1) {
            out.append("[scan]\n");
            out.append("step,channel,x_um,y_um,power_dbm\n");
            for (int ch = 1; ch <= run.channels(); ch++) {
                double peakDbm = -run.couplingLossDb()[AlignmentStep.PRE_CURE.ordinal()][ch - 1];
                for (int i = 0; i < scanPointsPerAxis; i++) {
                    for (int j = 0; j < scanPointsPerAxis; j++) {
                        double x = -1 + 2.0 * i / (scanPointsPerAxis - 1);
                        double y = -1 + 2.0 * j / (scanPointsPerAxis - 1);
                        // an edge coupler loses about 0.4 dB per µm of lateral offset squared near the peak
                        out.append("PRE_CURE,").append(ch).append(',').append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f", x, y,
                                peakDbm - 0.4 * (x * x + y * y))).append('\n');
                    }
                }
            }
        }
        out.append("[end]\n");
        return out.toString();
    }
}
