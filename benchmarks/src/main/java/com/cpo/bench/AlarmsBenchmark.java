package com.cpo.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.cpo.analytics.judge.Limits;
import com.cpo.domain.BurnInAlarmRule;
import com.cpo.domain.BurnInChannel;
import com.cpo.domain.BurnInRules;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Outcome;
import com.cpo.events.Operation;
import com.cpo.schemas.ExampleLimitSets;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.BurnInMix;
import com.cpo.simulator.BurnInProfile;

/**
 * {@code ./benchmarks/run alarms}: how far the burn-in alarms can be trusted. The simulator burns in rack loads of units
 * with known profiles (accelerated: simulated time, no waiting); every reading goes through the domain's
 * {@link BurnInChannel} and {@link BurnInAlarmRule} exactly as the analytics app applies them, and every unit is judged by
 * {@link BurnInRules} at its end: that verdict is the truth the alarms are held to.
 * <p>
 * Settings ({@code BENCH_OPTS}): {@code bench.alarms.seed} (1), {@code bench.alarms.units} (640), {@code bench.alarms.mix}
 * (the simulator's default mix, e.g. {@code power=0.05,bias=0.05,drop=0.05,settling=0.2,outlier=0.1,noisy=0.1,marginal=0.1}),
 * {@code bench.alarms.interval-s} (60), {@code bench.alarms.channels} (16), {@code bench.alarms.hours} (24).
 */
final class AlarmsBenchmark {

    private AlarmsBenchmark() {
    }

    /** What one unit run came to; {@code leadFraction} 0 when it was not alarmed before its end. */
    record Outcomes(BurnInProfile profile, boolean fails, int alarmsRaised, double leadFraction) {
    }

    static void run() {
        long seed = Long.getLong("bench.alarms.seed", 1);
        int units = Integer.getInteger("bench.alarms.units", 640);
        String mixText = System.getProperty("bench.alarms.mix", "");
        BurnInMix mix = mixText.isBlank() ? BurnInMix.defaults() : BurnInMix.parse(mixText);
        int intervalS = Integer.getInteger("bench.alarms.interval-s", 60);
        int channels = Integer.getInteger("bench.alarms.channels", 16);
        int hours = Integer.getInteger("bench.alarms.hours", 24);
        LimitSet limits = ExampleLimitSets.all().stream().filter(l -> l.getOperation() == Operation.BURNIN).map(Limits::toDomain)
                .findFirst().orElseThrow();
        BurnInAlarmRule.Settings settings = BurnInAlarmRule.Settings.defaults().withBurnInHours(hours);
        BurnInSimulator simulator = new BurnInSimulator(BurnInSimulator.Config.defaults(seed).withRack(16, channels)
                .withTiming(Duration.ofSeconds(intervalS), Duration.ofHours(hours)).withMix(mix, 0, 0));
        System.err.printf(Locale.ROOT, "alarms: seed %d, %d units of %d channels, a reading every %d s for %d h, mix %s%n", seed, units,
                channels, intervalS, hours, mix);
        List<Outcomes> outcomes = new ArrayList<>();
        long readings = 0;
        long started = System.nanoTime();
        while (simulator.unitsStarted() < units) {
            simulator.nextLoad();
            for (BurnInSimulator.UnitRun run : simulator.takeMade()) {
                readings += run.readings().size();
                outcomes.add(replay(run, limits, settings, intervalS));
            }
            System.err.printf(Locale.ROOT, "  %d units replayed%n", outcomes.size());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report(outcomes, readings, seconds);
    }

    /** Every reading of a run through the rule, in the order the rack wrote them; then the judge. */
    static Outcomes replay(BurnInSimulator.UnitRun run, LimitSet limits, BurnInAlarmRule.Settings settings, int intervalS) {
        Map<Integer, BurnInChannel> trackers = new TreeMap<>();
        List<String> open = new ArrayList<>();
        int raised = 0;
        long firstAlarmMs = -1;
        for (BurnInSimulator.Reading r : run.readings()) {
            BurnInChannel t = trackers.computeIfAbsent(r.channel(), c -> BurnInChannel.withDefaultWindows());
            long timeMs = r.time().toEpochMilli();
            double drop = t.add(timeMs, r.powerDbm(), r.biasCurrentMa());
            List<BurnInAlarmRule.Finding> findings = BurnInAlarmRule.evaluate(limits, r.channel(), t, drop, settings,
                    BurnInAlarmRule.openOn(open, r.channel()));
            for (BurnInAlarmRule.Change change : BurnInAlarmRule.update(open, r.channel(), findings)) {
                if (change.transition() == BurnInAlarmRule.Transition.RAISED) {
                    raised++;
                    if (firstAlarmMs < 0) {
                        firstAlarmMs = timeMs;
                    }
                }
            }
        }
        Outcome outcome = BurnInRules.evaluate(limits, trackers, false, run.readings().size(), run.readings().size()).outcome();
        long startMs = run.start().toEpochMilli();
        long endMs = run.end().toEpochMilli();
        // an alarm counts when it came before the end of burn-in; a unit never alarmed has no lead
        double lead = firstAlarmMs < 0 || firstAlarmMs >= endMs ? 0 : (endMs - firstAlarmMs) / (double) (endMs - startMs);
        return new Outcomes(run.profile(), outcome == Outcome.FAIL, raised, lead);
    }

    static void report(List<Outcomes> outcomes, long readings, double seconds) {
        Map<BurnInProfile, int[]> byProfile = new EnumMap<>(BurnInProfile.class); // {units, failing, alarmed}
        for (Outcomes o : outcomes) {
            int[] c = byProfile.computeIfAbsent(o.profile(), p -> new int[3]);
            c[0]++;
            c[1] += o.fails() ? 1 : 0;
            c[2] += o.alarmsRaised() > 0 ? 1 : 0;
        }
        byProfile.forEach((p, c) -> System.err.printf(Locale.ROOT, "  %-15s units %4d  failing %4d  alarmed %4d%n", p, c[0], c[1], c[2]));
        long failing = outcomes.stream().filter(Outcomes::fails).count();
        long passing = outcomes.size() - failing;
        long alarmed = outcomes.stream().filter(o -> o.alarmsRaised() > 0).count();
        long alarmedFailing = outcomes.stream().filter(o -> o.fails() && o.alarmsRaised() > 0).count();
        long alarmedFailingBeforeEnd = outcomes.stream().filter(o -> o.fails() && o.leadFraction() > 0).count();
        long falseAlarms = outcomes.stream().filter(o -> !o.fails()).mapToLong(Outcomes::alarmsRaised).sum();
        double[] leads = outcomes.stream().filter(Outcomes::fails).mapToDouble(Outcomes::leadFraction).sorted().toArray();
        double medianLead = leads.length == 0 ? Double.NaN
                : leads.length % 2 == 1 ? leads[leads.length / 2] : (leads[leads.length / 2 - 1] + leads[leads.length / 2]) / 2;
        System.out.println("readings: " + readings);
        System.out.printf(Locale.ROOT, "readings_per_s: %.0f%n", readings / seconds);
        System.out.println("alarmed_units: " + alarmed);
        System.out.println("units: " + outcomes.size());
        System.out.println("failing_units: " + failing);
        System.out.printf(Locale.ROOT, "alarm_precision: %.3f%n", alarmed == 0 ? Double.NaN : alarmedFailing / (double) alarmed);
        System.out.printf(Locale.ROOT, "false_alarms_per_100_passing: %.2f%n", passing == 0 ? Double.NaN : 100.0 * falseAlarms / passing);
        System.out.printf(Locale.ROOT, "median_lead_fraction: %.3f%n", medianLead);
        System.out.printf(Locale.ROOT, "alarm_recall: %.3f%n", failing == 0 ? Double.NaN : alarmedFailingBeforeEnd / (double) failing);
    }
}
