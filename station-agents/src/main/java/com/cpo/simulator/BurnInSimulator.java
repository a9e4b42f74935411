package com.cpo.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A simulated burn-in rack: loads a unit in every slot, reads every channel's laser power (dBm), bias
 * current (mA) and the case temperature (°C) at a fixed interval for the burn-in duration, and writes
 * the rack's log (format 1, see {@code station-agents/README.md}). Each unit gets a {@link BurnInProfile} drawn from the
 * {@link BurnInMix}: most channels settle in the first hour and then stay within a few hundredths of a dB; units meant to fail
 * drift in power or bias beyond the limits or drop suddenly (early, as real failures cluster); units meant to pass may
 * still settle slowly, carry single outlier readings, read noisily or drift part of the way to a limit. The profile is
 * the generator's intent; whether a unit fails is for the judge to say from its readings. A few runs are aborted, and a
 * share of failing units is reworked and burnt in again in a later load. Deterministic for a seed; time is simulated, so
 * a day of burn-in is made in seconds and {@link #play} writes it at any speed.
 */
public final class BurnInSimulator {

    /**
     * What to simulate.
     *
     * @param seed random seed; the same seed gives the same log
     * @param product product part number
     * @param station rack id (the station)
     * @param slots slots in the rack
     * @param channels laser channels per unit
     * @param readingInterval time between two readings of a slot
     * @param burnInDuration how long a unit stays in the rack
     * @param simulatedStart when the first load starts
     * @param lotPrefix first part of lot names
     * @param meanPowerDbm mean laser output power at start, dBm
     * @param sigmaPowerDbm its standard deviation between channels, dBm
     * @param meanBiasMa mean bias current, mA
     * @param caseTemperatureC set point of the case temperature, °C
     * @param mix shares of units per profile
     * @param abortRate share of runs aborted half-way
     * @param reworkRate share of drifting or dropping units reworked and burnt in again
     */
    public record Config(long seed, String product, String station, int slots, int channels, Duration readingInterval,
            Duration burnInDuration, Instant simulatedStart, String lotPrefix, double meanPowerDbm, double sigmaPowerDbm, double meanBiasMa,
            double caseTemperatureC, BurnInMix mix, double abortRate, double reworkRate) {

        public static Config defaults(long seed) {
            return new Config(seed, "CPO-OE16", "BI-01", 16, 16, Duration.ofMinutes(1), Duration.ofHours(24),
                    Instant.parse("2026-11-24T06:00:00Z"), "L261124", 3.0, 0.3, 60.0, 85.0, BurnInMix.defaults(), 0.01, 0.6);
        }

        public Config withStation(String s) {
            return new Config(seed, product, s, slots, channels, readingInterval, burnInDuration, simulatedStart, lotPrefix, meanPowerDbm,
                    sigmaPowerDbm, meanBiasMa, caseTemperatureC, mix, abortRate, reworkRate);
        }

        public Config withRack(int slotCount, int channelCount) {
            return new Config(seed, product, station, slotCount, channelCount, readingInterval, burnInDuration, simulatedStart, lotPrefix,
                    meanPowerDbm, sigmaPowerDbm, meanBiasMa, caseTemperatureC, mix, abortRate, reworkRate);
        }

        public Config withTiming(Duration interval, Duration duration) {
            return new Config(seed, product, station, slots, channels, interval, duration, simulatedStart, lotPrefix, meanPowerDbm,
                    sigmaPowerDbm, meanBiasMa, caseTemperatureC, mix, abortRate, reworkRate);
        }

        /** Shares meant to fail: {@code drift} split evenly between power and bias drift, {@code drop}; passing profiles as they were. */
        public Config withDefects(double drift, double drop, double abort) {
            return new Config(seed, product, station, slots, channels, readingInterval, burnInDuration, simulatedStart, lotPrefix,
                    meanPowerDbm, sigmaPowerDbm, meanBiasMa, caseTemperatureC, new BurnInMix(drift / 2, drift / 2, drop, mix.settling(),
                            mix.outlier(), mix.noisy(), mix.marginalDrift()), abort, reworkRate);
        }

        public Config withMix(BurnInMix m, double abort, double rework) {
            return new Config(seed, product, station, slots, channels, readingInterval, burnInDuration, simulatedStart, lotPrefix,
                    meanPowerDbm, sigmaPowerDbm, meanBiasMa, caseTemperatureC, m, abort, rework);
        }

        public Config withSimulatedStart(Instant start) {
            return new Config(seed, product, station, slots, channels, readingInterval, burnInDuration, start, lotPrefix, meanPowerDbm,
                    sigmaPowerDbm, meanBiasMa, caseTemperatureC, mix, abortRate, reworkRate);
        }
    }

    /** One reading as written (values rounded as in the file). */
    public record Reading(String serial, int attempt, int slot, int channel, Instant time, double powerDbm, double biasCurrentMa,
            double caseTemperatureC) {
    }

    /**
     * One unit's burn-in run as written: the ground truth for tests and benchmarks.
     *
     * @param badChannels the channels the profile acts on, ascending; none for a stable unit or a noisy or settling one
     */
    public record UnitRun(String serial, String lot, int attempt, int slot, Instant start, Instant end, BurnInProfile profile, List<Integer> badChannels,
            boolean aborted, List<Reading> readings) {
    }

    /** A line of the log (with its line break) and the simulated time it is written at. */
    public record LogLine(Instant time, String text) {
    }

    public static final String HEADER = "# CPO burn-in log, format 1\n";

    private final Config config;
    private final SplittableRandom random;
    private final Deque<UnitRun> reworked = new ArrayDeque<>();
    private final List<UnitRun> made = new ArrayList<>();
    private int unitsStarted;
    private Instant loadStart;

    public BurnInSimulator(Config config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.loadStart = config.simulatedStart();
    }

    /**
     * The next load of the rack: every slot gets a reworked unit due for retest or a new unit; returns
     * the log lines of the whole load, in time order.
     */
    public List<LogLine> nextLoad() {
        int readings = (int) (config.burnInDuration().toMillis() / config.readingInterval().toMillis());
        List<LogLine> lines = new ArrayList<>();
        List<SlotState> states = new ArrayList<>();
        for (int slot = 1; slot <= config.slots(); slot++) {
            String serial;
            String lot;
            int attempt;
            UnitRun retest = reworked.pollFirst();
            if (retest != null) {
                serial = retest.serial();
                lot = retest.lot();
                attempt = retest.attempt() + 1;
            } else {
                int index = unitsStarted++;
                serial = String.format(Locale.ROOT, "OE%d-%s-%06d", config.channels(), config.station(), index + 1);
                lot = String.format(Locale.ROOT, "%s-B%02d", config.lotPrefix(), index / 25 + 1);
                attempt = 1;
            }
            double u = random.nextDouble();
            BurnInProfile profile = attempt > 1 ? BurnInProfile.STABLE : config.mix().draw(u);
            boolean aborted = random.nextDouble() < config.abortRate();
            states.add(new SlotState(slot, serial, lot, attempt, profile, profile == BurnInProfile.STABLE ? 0 : 1 + random.nextInt(config.channels()),
                    aborted ? readings / 2 : readings, aborted, readings));
            String operator = String.format(Locale.ROOT, "op%02d", 1 + (unitsStarted / 50) % 3);
            lines.add(new LogLine(loadStart, String.format(Locale.ROOT, "START,%s,%d,%s,%d,%s,%s,%s,%s/BURNIN,%d%n", loadStart, slot, serial,
                    attempt, config.product(), lot, operator, config.product(), config.channels())));
        }
        for (SlotState s : states) {
            s.init();
        }
        for (int k = 0; k < readings; k++) {
            Instant t = loadStart.plus(config.readingInterval().multipliedBy(k + 1));
            double hours = config.readingInterval().multipliedBy(k + 1).toMillis() / 3_600_000.0;
            for (SlotState s : states) {
                if (k >= s.readingsToWrite) {
                    continue;
                }
                double temperature = round(config.caseTemperatureC() + 0.2 * gaussian(), 100);
                for (int ch = 1; ch <= config.channels(); ch++) {
                    double power = round(s.power(ch, k, hours), 1000);
                    double bias = round(s.bias(ch, k), 1000);
                    s.readings.add(new Reading(s.serial, s.attempt, s.slot, ch, t, power, bias, temperature));
                    lines.add(new LogLine(t, String.format(Locale.ROOT, "READ,%s,%d,%s,%d,%d,%.3f,%.3f,%.2f%n", t, s.slot, s.serial, s.attempt, ch,
                            power, bias, temperature)));
                }
            }
            for (SlotState s : states) {
                if (s.aborted && k + 1 == s.readingsToWrite) {
                    lines.add(s.end(t));
                }
            }
        }
        Instant end = loadStart.plus(config.readingInterval().multipliedBy(readings));
        for (SlotState s : states) {
            if (!s.aborted) {
                lines.add(s.end(end));
            }
            UnitRun run = new UnitRun(s.serial, s.lot, s.attempt, s.slot, loadStart, s.endTime, s.profile, s.badChannels(), s.aborted,
                    List.copyOf(s.readings));
            made.add(run);
            if ((s.profile.meantToFail() || s.aborted) && s.attempt < 3 && random.nextDouble() < config.reworkRate()) {
                reworked.addLast(run);
            }
        }
        loadStart = end.plus(Duration.ofMinutes(15));
        return lines;
    }

    /** Loads until {@code units} new units have been burnt in (and their retests due by then). */
    public List<LogLine> runUnits(int units) {
        List<LogLine> lines = new ArrayList<>();
        while (unitsStarted < units) {
            lines.addAll(nextLoad());
        }
        return lines;
    }

    private final class SlotState {
        final int slot;
        final String serial;
        final String lot;
        final int attempt;
        final BurnInProfile profile;
        final int badChannel;
        final int readingsToWrite;
        final boolean aborted;
        final int plannedReadings;
        final List<Reading> readings = new ArrayList<>();
        double[] startPower;
        double[] startBias;
        double[] driftDb;
        double dropDb;
        int dropAt;
        int secondChannel;
        double endEffect; // dB (power) or % (bias) by the end of the run, for drifting profiles
        double shapeExponent = 1; // 1 linear, 1.5 accelerating
        double onset; // share of the run before a drift starts
        boolean onBias;
        double settleDb;
        double settleHours;
        double noiseFactor = 1;
        int[] outlierAt = new int[0];
        double outlierSize;
        Instant endTime;

        SlotState(int slot, String serial, String lot, int attempt, BurnInProfile profile, int badChannel, int readingsToWrite, boolean aborted,
                int plannedReadings) {
            this.slot = slot;
            this.serial = serial;
            this.lot = lot;
            this.attempt = attempt;
            this.profile = profile;
            this.badChannel = badChannel;
            this.readingsToWrite = readingsToWrite;
            this.aborted = aborted;
            this.plannedReadings = plannedReadings;
        }

        void init() {
            int n = config.channels();
            startPower = new double[n];
            startBias = new double[n];
            driftDb = new double[n];
            for (int i = 0; i < n; i++) {
                startPower[i] = config.meanPowerDbm() + config.sigmaPowerDbm() * gaussian();
                startBias[i] = config.meanBiasMa() * (1 + 0.06 * gaussian());
                driftDb[i] = 0.05 * gaussian();
            }
            secondChannel = random.nextDouble() < 0.25 && n > 1 && (profile == BurnInProfile.POWER_DRIFT || profile == BurnInProfile.BIAS_DRIFT)
                    ? 1 + (badChannel % n) : 0;
            shapeExponent = random.nextDouble() < 0.4 ? 1.5 : 1;
            onset = random.nextDouble() < 1 / 3.0 ? 0.2 + 0.3 * random.nextDouble() : 0;
            switch (profile) {
                case POWER_DRIFT -> endEffect = -(0.55 + 0.95 * random.nextDouble());
                case BIAS_DRIFT -> {
                    onBias = true;
                    endEffect = 5.5 + 9.5 * random.nextDouble();
                }
                case MARGINAL_DRIFT -> {
                    onBias = random.nextBoolean();
                    shapeExponent = 1;
                    onset = 0;
                    secondChannel = 0;
                    endEffect = (0.4 + 0.5 * random.nextDouble()) * (onBias ? 5.0 : -0.5);
                }
                case SETTLING -> {
                    settleDb = 0.2 + 0.3 * random.nextDouble();
                    settleHours = (10 + 35 * random.nextDouble()) / 60.0;
                }
                case NOISY -> noiseFactor = 3 + 3 * random.nextDouble();
                case OUTLIER -> {
                    outlierAt = new int[1 + random.nextInt(2)];
                    for (int i = 0; i < outlierAt.length; i++) {
                        outlierAt[i] = random.nextInt(plannedReadings);
                    }
                    onBias = random.nextDouble() < 0.3;
                    outlierSize = onBias ? 8 + 12 * random.nextDouble() : -(1.5 + 1.5 * random.nextDouble());
                }
                default -> {
                }
            }
            if (profile == BurnInProfile.POWER_DRIFT || profile == BurnInProfile.MARGINAL_DRIFT && !onBias) {
                driftDb[badChannel - 1] = 0;
            }
            dropDb = 1.5 + 2.5 * random.nextDouble();
            // failures cluster early: a sudden drop comes in the first 40 % of the run
            dropAt = Math.max(1, (int) (plannedReadings * 0.4 * random.nextDouble()));
        }

        List<Integer> badChannels() {
            if (profile == BurnInProfile.STABLE || profile == BurnInProfile.NOISY || profile == BurnInProfile.SETTLING) {
                return List.of();
            }
            return secondChannel == 0 ? List.of(badChannel) : java.util.stream.Stream.of(badChannel, secondChannel).sorted().toList();
        }

        /** How far a drift has gone at a point of the run, 0 to 1. */
        private double shape(double progress) {
            return Math.pow(Math.max(0, (progress - onset) / (1 - onset)), shapeExponent);
        }

        private boolean acted(int channel) {
            return channel == badChannel || channel == secondChannel;
        }

        private boolean outlier(int channel, int k) {
            if (profile != BurnInProfile.OUTLIER || channel != badChannel) {
                return false;
            }
            for (int at : outlierAt) {
                if (at == k) {
                    return true;
                }
            }
            return false;
        }

        double power(int channel, int k, double hours) {
            double progress = (k + 1) / (double) plannedReadings;
            double settle = 0.15 * Math.exp(-hours * 3); // settles within the first hour
            if (profile == BurnInProfile.SETTLING) {
                settle = settleDb * Math.exp(-hours / settleHours);
            }
            double p = startPower[channel - 1] + settle + driftDb[channel - 1] * progress + 0.01 * noiseFactor * gaussian();
            if (!onBias && acted(channel) && (profile == BurnInProfile.POWER_DRIFT || profile == BurnInProfile.MARGINAL_DRIFT)) {
                p += endEffect * shape(progress);
            }
            if (profile == BurnInProfile.SUDDEN_DROP && channel == badChannel && k >= dropAt) {
                p -= dropDb;
            }
            if (!onBias && outlier(channel, k)) {
                p += outlierSize;
            }
            return p;
        }

        double bias(int channel, int k) {
            double progress = (k + 1) / (double) plannedReadings;
            double b = startBias[channel - 1] * (1 + 0.002 * noiseFactor * gaussian());
            if (onBias && acted(channel) && (profile == BurnInProfile.BIAS_DRIFT || profile == BurnInProfile.MARGINAL_DRIFT)) {
                b *= 1 + endEffect / 100 * shape(progress); // the power loop pushes bias as the laser weakens
            }
            if (onBias && outlier(channel, k)) {
                b *= 1 + outlierSize / 100;
            }
            return b;
        }

        LogLine end(Instant t) {
            endTime = t;
            return new LogLine(t, String.format(Locale.ROOT, "END,%s,%d,%s,%d,%d,%s%n", t, slot, serial, attempt,
                    readingsToWrite * config.channels(), aborted ? "ABORTED" : "COMPLETE"));
        }
    }

    private double gaussian() {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }

    /** Every unit run made so far, in order. */
    public List<UnitRun> made() {
        return List.copyOf(made);
    }

    /** The unit runs made since the last call (or the start), forgotten here: for long benchmarks that must not keep them all. */
    public List<UnitRun> takeMade() {
        List<UnitRun> taken = List.copyOf(made);
        made.clear();
        return taken;
    }

    /** New units started so far (retests not counted). */
    public int unitsStarted() {
        return unitsStarted;
    }

    /** Every reading made so far. */
    public List<Reading> readings() {
        List<Reading> all = new ArrayList<>();
        made.forEach(r -> all.addAll(r.readings()));
        return all;
    }

    /** Appends text to the log as the rack does (creating it with its comment header first). */
    public static void append(Path log, String text) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            if (!Files.exists(log)) {
                Files.writeString(log, HEADER, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }

    /** Appends whole lines to the log. */
    public static void append(Path log, List<LogLine> lines) {
        StringBuilder text = new StringBuilder(lines.size() * 64);
        lines.forEach(l -> text.append(l.text()));
        append(log, text.toString());
    }

    /**
     * Writes lines to the log as the rack would, in time: {@code speedup} simulated seconds per real
     * second (1 = real time, 86,400 = a day in a second), in bursts of at most 50 ms.
     */
    public static void play(Path log, List<LogLine> lines, double speedup) throws InterruptedException {
        if (lines.isEmpty()) {
            return;
        }
        Instant first = lines.get(0).time();
        long startNanos = System.nanoTime();
        int i = 0;
        while (i < lines.size()) {
            long dueMs = (long) (Duration.between(first, lines.get(i).time()).toMillis() / speedup);
            long nowMs = (System.nanoTime() - startNanos) / 1_000_000;
            if (dueMs > nowMs) {
                Thread.sleep(Math.min(50, dueMs - nowMs));
                continue;
            }
            StringBuilder burst = new StringBuilder();
            while (i < lines.size() && Duration.between(first, lines.get(i).time()).toMillis() / speedup <= nowMs) {
                burst.append(lines.get(i++).text());
            }
            append(log, burst.toString());
        }
    }
}
