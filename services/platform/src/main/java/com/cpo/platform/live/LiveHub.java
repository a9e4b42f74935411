package com.cpo.platform.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.cpo.platform.LatencyBuckets;
import com.cpo.platform.PlatformConfig;
import com.cpo.platform.live.LiveViews.AlarmView;
import com.cpo.platform.live.LiveViews.RackUnitView;
import com.cpo.platform.live.LiveViews.RtyView;
import com.cpo.platform.live.LiveViews.StatisticsView;
import com.cpo.platform.live.LiveViews.VerdictView;
import com.cpo.platform.live.LiveViews.YieldView;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * The dashboard's state and its subscribers. Holds the latest figures per key (yield per lot and station, RTY,
 * coupling-loss statistics per product × station and product × lot), the latest verdicts, failures and alarms,
 * and the rack state; every change is applied and sent to the matching subscribers under one lock, and a new
 * subscriber gets its snapshot under the same lock, so it sees every change after its snapshot exactly once
 * and in order.
 *
 * <p>Changes are pushed as they are read, also while the feed is still catching up after a start: a browser
 * that reconnects at once after a restart gets the figures read so far as its snapshot and the rest as they
 * load, so it is complete the moment the feed is.
 *
 * <p>Bounded memory: figures keyed by lot (yield per lot, RTY, statistics per product × lot) whose event time is
 * older than {@code cpo.platform.dashboard.lot-retention} are not kept, and are dropped by {@link #evictExpired}
 * (run by the feed every minute); the browsers are told with a {@code removed} event. Unfiltered snapshots hold
 * the {@value #SNAPSHOT_LOTS} most recently updated lots' yield and RTY.
 *
 * <p>A subscriber that falls more than {@code cpo.platform.dashboard.client-buffer} events behind has its
 * stream ended with an error; its browser reconnects and starts again from a fresh snapshot.
 */
@ApplicationScoped
public class LiveHub {

    /** The figures of one dashboard at one instant: the first event of every stream. */
    public record Snapshot(Instant at, String product, String lot, List<YieldView> yield, List<RtyView> rty,
            List<StatisticsView> statistics, List<VerdictView> verdicts, List<VerdictView> failures, List<AlarmView> alarms,
            RackView burnin, Kept kept, OperatorCounts operatorRecords) {
    }

    /**
     * What operators must look at, line-wide: dead letters (all, and those not replayed yet) and corrections (records
     * too late to count where they belong), as stored by the service; listed at /api/dead-letters and /api/corrections.
     */
    public record OperatorCounts(long deadLetters, long deadLettersNotReplayed, long corrections) {
    }

    /** How many latest verdicts, failures and alarms the service keeps: the page keeps as many. */
    public record Kept(int verdicts, int failures, int alarms) {
    }

    /**
     * A figure the dashboard must drop: deleted on its topic (a tombstone) or older than the lot retention.
     *
     * @param kind {@code yield}, {@code rty} or {@code statistics}
     * @param key the figure's key
     */
    public record Removed(String kind, String key) {
    }

    /**
     * Units in the burn-in racks.
     *
     * @param source where the figures come from (the burn-in status topic)
     * @param error why they are missing or stale, null when fresh
     */
    public record RackView(Instant updatedAt, String source, String error, List<RackUnitView> units) {

        RackView filtered(LiveFilter f) {
            return new RackView(updatedAt, source, error, units.stream().filter(u -> f.productAndLot(u.product(), u.lot())).toList());
        }
    }

    /** Lots sent in a snapshot without a lot filter: the most recently updated ones. */
    static final int SNAPSHOT_LOTS = 100;
    static final int VERDICTS_KEPT = 30;
    static final int ALARMS_KEPT = 500;

    private record Subscriber(LiveFilter filter, MultiEmitter<? super LiveEvent> emitter) {
    }

    private final Map<String, YieldView> yields = new HashMap<>();
    private final Map<String, RtyView> rty = new HashMap<>();
    private final Map<String, StatisticsView> statistics = new HashMap<>();
    private final ArrayDeque<VerdictView> verdicts = new ArrayDeque<>();
    private final ArrayDeque<VerdictView> failures = new ArrayDeque<>();
    private final ArrayDeque<AlarmView> alarms = new ArrayDeque<>();
    private RackView rack = new RackView(null, null, "not read yet", List.of());
    private OperatorCounts operatorCounts = new OperatorCounts(0, 0, 0);
    private Map<String, RackUnitView> rackRuns = new HashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final int failuresKept;
    private final int clientBuffer;
    private final Duration lotRetention;
    private final MeterRegistry registry;
    private final Map<String, Counter> pushed = new HashMap<>();
    private final Timer updateDelay;
    private long sequence;

    @Inject
    LiveHub(PlatformConfig config, MeterRegistry registry) {
        this(config.dashboard().failuresKept(), config.dashboard().clientBuffer(), config.dashboard().lotRetention(), registry);
    }

    LiveHub(int failuresKept, int clientBuffer, Duration lotRetention, MeterRegistry registry) {
        this.failuresKept = failuresKept;
        this.clientBuffer = clientBuffer;
        this.lotRetention = lotRetention;
        this.registry = registry;
        registry.gauge("cpo.dashboard.clients", subscribers, List::size);
        this.updateDelay = Timer.builder("cpo.dashboard.update.delay")
                .description("From the Kafka timestamp of a verdict, yield, statistics or alarm record to its push to the dashboards")
                .serviceLevelObjectives(LatencyBuckets.BOUNDS).register(registry);
        // every kind from the start, so a chart shows 0 before the first dashboard connects rather than no data
        for (String type : List.of("snapshot", "yield", "rty", "statistics", "verdict", "alarm", "burnin", "removed", "operator")) {
            counter(type);
        }
    }

    /** The stream of one dashboard: its snapshot, then every matching change. */
    public Multi<LiveEvent> subscribe(LiveFilter filter) {
        return Multi.createFrom().<LiveEvent> emitter(emitter -> {
            Subscriber subscriber = new Subscriber(filter, emitter);
            emitter.onTermination(() -> subscribers.remove(subscriber));
            synchronized (this) {
                emitter.emit(new LiveEvent("snapshot", sequence, snapshot(filter)));
                count("snapshot");
                subscribers.add(subscriber);
            }
            // cancelled before the add: onTermination has already run and removed nothing
            if (emitter.isCancelled()) {
                subscribers.remove(subscriber);
            }
        }, clientBuffer);
    }

    /** The current figures of a dashboard. */
    public synchronized Snapshot snapshot(LiveFilter f) {
        List<YieldView> y = new ArrayList<>(yields.values().stream()
                .filter(v -> f.product(v.product()) && (!v.dimension().equals("LOT") || f.lot(v.group()))).toList());
        if (f.lot() == null) {
            // bounded: only the most recently updated lots
            List<YieldView> lots = y.stream().filter(v -> v.dimension().equals("LOT"))
                    .sorted(Comparator.comparing(YieldView::eventTime, Comparator.nullsFirst(Comparator.reverseOrder()))).toList();
            if (lots.size() > SNAPSHOT_LOTS) {
                y.removeAll(lots.subList(SNAPSHOT_LOTS, lots.size()));
            }
        }
        y.sort(Comparator.comparing(YieldView::key));
        List<RtyView> r = rty.values().stream().filter(v -> f.productAndLot(v.product(), v.lot())).toList();
        if (f.lot() == null) {
            r = r.stream().sorted(Comparator.comparing(RtyView::eventTime, Comparator.nullsLast(Comparator.reverseOrder())))
                    .limit(SNAPSHOT_LOTS).toList();
        }
        r = r.stream().sorted(Comparator.comparing(RtyView::key)).toList();
        List<StatisticsView> s = statistics.values().stream().filter(v -> matches(f, v))
                .sorted(Comparator.comparing(StatisticsView::key)).toList();
        return new Snapshot(Instant.now(), f.product(), f.lot(), y, r, s,
                verdicts.stream().filter(v -> f.productAndLot(v.product(), v.lot())).toList(),
                failures.stream().filter(v -> f.productAndLot(v.product(), v.lot())).toList(),
                alarms.stream().filter(a -> openAlarm(f, a)).toList(), rack.filtered(f), new Kept(VERDICTS_KEPT, failuresKept, ALARMS_KEPT),
                operatorCounts);
    }

    /**
     * An alarm is open while its unit is in the rack (as the last rack reading says); its product and lot are
     * those of the rack's row. Without rack figures, every recent alarm counts, on unfiltered dashboards only.
     */
    private boolean openAlarm(LiveFilter f, AlarmView a) {
        RackUnitView unit = rackRuns.get(a.runId());
        if (unit == null) {
            return rack.error() != null && f.product() == null && f.lot() == null;
        }
        return f.productAndLot(unit.product(), unit.lot());
    }

    /** A new alarm goes to the dashboards of its unit's product and lot, or, unit not yet in the rack figures, to unfiltered ones. */
    private boolean alarmFor(LiveFilter f, AlarmView a) {
        RackUnitView unit = rackRuns.get(a.runId());
        return unit == null ? f.product() == null && f.lot() == null : f.productAndLot(unit.product(), unit.lot());
    }

    /** Statistics per product × lot only go to dashboards of that lot; per product × station to every lot's. */
    private static boolean matches(LiveFilter f, StatisticsView v) {
        if (!f.product(v.product())) {
            return false;
        }
        return v.scope().equals("PRODUCT_LOT") ? f.lot() != null && f.lot().equals(v.lot()) : true;
    }

    synchronized void yieldChanged(YieldView v, long recordTimestampMs, boolean live) {
        if (!v.dimension().equals("LOT") && !v.dimension().equals("STATION") && !v.dimension().equals("FIRST_STATION")) {
            return;
        }
        YieldView old = yields.get(v.key());
        if (old != null && old.revision() > v.revision()) {
            return;
        }
        if (v.dimension().equals("LOT") && expired(v.eventTime(), Instant.now())) {
            if (old != null) {
                yieldRemoved(v.key());
            }
            return;
        }
        yields.put(v.key(), v);
        publish("yield", v, f -> f.product(v.product()) && (!v.dimension().equals("LOT") || f.lot(v.group())) ? v : null,
                recordTimestampMs, live);
    }

    synchronized void yieldRemoved(String key) {
        YieldView v = yields.remove(key);
        if (v != null) {
            publishRemoved("yield", key, f -> f.product(v.product()) && (!v.dimension().equals("LOT") || f.lot(v.group())));
        }
    }

    synchronized void rtyChanged(RtyView v, long recordTimestampMs, boolean live) {
        RtyView old = rty.get(v.key());
        if (old != null && old.revision() > v.revision()) {
            return;
        }
        if (expired(v.eventTime(), Instant.now())) {
            if (old != null) {
                rtyRemoved(v.key());
            }
            return;
        }
        rty.put(v.key(), v);
        publish("rty", v, f -> f.productAndLot(v.product(), v.lot()) ? v : null, recordTimestampMs, live);
    }

    synchronized void rtyRemoved(String key) {
        RtyView v = rty.remove(key);
        if (v != null) {
            publishRemoved("rty", key, f -> f.productAndLot(v.product(), v.lot()));
        }
    }

    synchronized void statisticsChanged(StatisticsView v, long recordTimestampMs, boolean live) {
        if (!v.scope().equals("PRODUCT_STATION") && !v.scope().equals("PRODUCT_LOT")) {
            return;
        }
        StatisticsView old = statistics.get(v.key());
        if (old != null && old.revision() > v.revision()) {
            return;
        }
        if (v.scope().equals("PRODUCT_LOT") && expired(v.eventTime(), Instant.now())) {
            if (old != null) {
                statisticsRemoved(v.key());
            }
            return;
        }
        statistics.put(v.key(), v);
        publish("statistics", v, f -> matches(f, v) ? v : null, recordTimestampMs, live);
    }

    synchronized void statisticsRemoved(String key) {
        StatisticsView v = statistics.remove(key);
        if (v != null) {
            publishRemoved("statistics", key, f -> matches(f, v));
        }
    }

    /**
     * Drops the lot-keyed figures (yield per lot, RTY, statistics per product × lot) whose event time is older
     * than the lot retention before {@code now}, and tells the dashboards that held them.
     *
     * @return how many were dropped
     */
    synchronized int evictExpired(Instant now) {
        List<String> y = yields.values().stream().filter(v -> v.dimension().equals("LOT") && expired(v.eventTime(), now))
                .map(YieldView::key).toList();
        List<String> r = rty.values().stream().filter(v -> expired(v.eventTime(), now)).map(RtyView::key).toList();
        List<String> s = statistics.values().stream().filter(v -> v.scope().equals("PRODUCT_LOT") && expired(v.eventTime(), now))
                .map(StatisticsView::key).toList();
        y.forEach(this::yieldRemoved);
        r.forEach(this::rtyRemoved);
        s.forEach(this::statisticsRemoved);
        return y.size() + r.size() + s.size();
    }

    /** Lot-keyed figures held now (yield per lot, RTY, statistics per product × lot). */
    synchronized int lotFigures() {
        return (int) (yields.values().stream().filter(v -> v.dimension().equals("LOT")).count() + rty.size()
                + statistics.values().stream().filter(v -> v.scope().equals("PRODUCT_LOT")).count());
    }

    private boolean expired(Instant eventTime, Instant now) {
        return eventTime != null && eventTime.isBefore(now.minus(lotRetention));
    }

    synchronized void verdictArrived(VerdictView v, boolean live) {
        if (verdicts.stream().anyMatch(o -> o.eventId().equals(v.eventId()))
                || failures.stream().anyMatch(o -> o.eventId().equals(v.eventId()))) {
            return; // a redelivery
        }
        addLatest(verdicts, v, VERDICTS_KEPT);
        if (v.failed()) {
            addLatest(failures, v, failuresKept);
        }
        publish("verdict", v, f -> f.productAndLot(v.product(), v.lot()) ? v : null, v.publishedAt().toEpochMilli(), live);
    }

    synchronized void alarmRaised(AlarmView a, long recordTimestampMs, boolean live) {
        if (alarms.stream().anyMatch(o -> o.eventId().equals(a.eventId()))) {
            return;
        }
        addLatest(alarms, a, ALARMS_KEPT);
        publish("alarm", a, f -> alarmFor(f, a) ? a : null, recordTimestampMs, live);
    }

    synchronized void rackChanged(RackView r) {
        if (Objects.equals(r.units(), rack.units()) && Objects.equals(r.error(), rack.error())) {
            return;
        }
        Map<String, RackUnitView> before = rackRuns;
        rack = r;
        rackRuns = new HashMap<>();
        r.units().forEach(u -> rackRuns.put(u.runId(), u));
        publish("burnin", r, r::filtered, -1, true);
        // an alarm read before its unit's status reached the unfiltered dashboards only (its product and lot
        // were unknown): now that the unit is in the rack, the dashboards of its product and lot get it too
        for (AlarmView a : alarms) {
            RackUnitView unit = rackRuns.get(a.runId());
            if (unit != null && !before.containsKey(a.runId())) {
                publish("alarm", a, f -> (f.product() != null || f.lot() != null) && f.productAndLot(unit.product(), unit.lot()) ? a : null,
                        -1, false);
            }
        }
    }

    /** New dead-letter and correction counts go to every dashboard (they are the line's, not a product's). */
    public synchronized void operatorRecordsChanged(OperatorCounts counts) {
        if (counts.equals(operatorCounts)) {
            return;
        }
        operatorCounts = counts;
        publish("operator", counts, f -> counts, -1, false);
    }

    /** Keeps {@code max} entries, latest (by the tester's event time) first: records of partitions interleave. */
    private static <T> void addLatest(ArrayDeque<T> list, T item, int max) {
        List<T> all = new ArrayList<>(list);
        all.add(item);
        all.sort(Comparator.comparing(LiveHub::eventTime).reversed());
        list.clear();
        all.stream().limit(max).forEach(list::add);
    }

    private static Instant eventTime(Object o) {
        return o instanceof VerdictView v ? v.eventTime() : ((AlarmView) o).eventTime();
    }

    private void publishRemoved(String kind, String key, Predicate<LiveFilter> held) {
        Removed removed = new Removed(kind, key);
        publish("removed", removed, f -> held.test(f) ? removed : null, -1, false);
    }

    /**
     * Sends a change to the subscribers it concerns. Also while the feed catches up ({@code live} false): a
     * dashboard connected then holds only what was read so far. {@code live} only says whether the change is
     * news, i.e. whether its delay since the record's timestamp is measured.
     */
    private void publish(String type, Object data, Function<LiveFilter, Object> forFilter, long recordTimestampMs, boolean live) {
        sequence++;
        for (Subscriber s : subscribers) {
            Object payload = forFilter.apply(s.filter());
            if (payload != null && !s.emitter().isCancelled()) {
                s.emitter().emit(new LiveEvent(type, sequence, payload));
                count(type);
            }
        }
        if (live && recordTimestampMs > 0) {
            updateDelay.record(Math.max(0, System.currentTimeMillis() - recordTimestampMs), TimeUnit.MILLISECONDS);
        }
    }

    private void count(String type) {
        counter(type).increment();
    }

    private Counter counter(String type) {
        return pushed.computeIfAbsent(type, t -> Counter.builder("cpo.dashboard.events.pushed")
                .description("Events sent to dashboards (each subscriber counts), by type").tag("type", t).register(registry));
    }

    /** Dashboards connected now. */
    public int subscribers() {
        return subscribers.size();
    }
}
