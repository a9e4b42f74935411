package com.cpo.platform;

import static com.cpo.platform.TestStationEvents.alignment;
import static com.cpo.platform.TestStationEvents.started;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.cpo.domain.PlantCalendar;
import com.cpo.domain.UnitRun;
import com.cpo.domain.UnitYield;
import com.cpo.domain.YieldFigures;
import com.cpo.events.AlignmentStep;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/**
 * History at scale, in the small: yield by every grouping is the domain's sum over the units (the service sums one row
 * per unit in SQL), a day's statistics read only that day's month of alignment values, and retention drops whole months
 * that have aged past it. The plant zone here is UTC (the service's default).
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class HistoryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final PlantCalendar PLANT = PlantCalendar.defaults();
    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    /** A run as published, with what grouping needs. */
    record Published(String serial, String lot, UnitRun run) {
    }

    @Test
    void yieldByEveryGroupingIsTheDomainsSumOverItsUnits() {
        // given 80 units of a new product over nine days across an ISO-week and a month boundary, 1 to 3 runs each at
        // three stations, in random order, every outcome
        String product = TestVerdicts.uniqueSerial("PH");
        Random random = new Random(20261129);
        Instant start = Instant.parse("2026-04-27T00:00:00Z");
        List<Published> runs = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        for (int u = 0; u < 80; u++) {
            String serial = TestVerdicts.uniqueSerial("H" + u);
            String lot = "LOT-" + (u % 3);
            Instant first = start.plusSeconds(random.nextInt(9 * 24 * 3600));
            int attempts = 1 + random.nextInt(3);
            for (int a = 1; a <= attempts; a++) {
                String station = List.of("AA-01", "AA-02", "RW-01").get(random.nextInt(3));
                Outcome outcome = Outcome.values()[random.nextInt(3)];
                Instant at = first.plusSeconds((a - 1) * 5400L);
                runs.add(new Published(serial, lot, new UnitRun(product + "|" + serial, at, a, station,
                        com.cpo.domain.Outcome.valueOf(outcome.name()))));
                verdicts.add(TestVerdicts.verdict(serial, product, lot, station, Operation.ALIGN, a, outcome, at, 1,
                        outcome == Outcome.INCOMPLETE ? "aborted" : null, List.of()));
            }
        }
        java.util.Collections.shuffle(verdicts, random);

        // when they are stored
        try (VerdictProducer producer = new VerdictProducer(bootstrapServers, Topics.VERDICTS.name())) {
            verdicts.forEach(producer::send);
        }
        await().atMost(TIMEOUT).until(() -> given().get("/api/yield?operation=ALIGN&product=" + product).jsonPath()
                .getInt("operations.find { it.key == 'ALIGN' }.runs") == runs.size());

        // then each grouping's figures are the domain's over the same runs
        Map<String, Function<UnitRun, String>> byFirstRun = Map.of(
                "day", r -> PLANT.dayOf(r.startTime()).toString(),
                "week", r -> PLANT.weekOf(r.startTime()),
                "month", r -> PLANT.monthOf(r.startTime()).toString(),
                "hour", r -> PLANT.hourStart(r.startTime()).toString(),
                "shift", r -> PLANT.shiftOf(r.startTime()),
                "first-station", UnitRun::station);
        byFirstRun.forEach((groupBy, key) -> assertThat(groups(product, groupBy, "")).as(groupBy)
                .isEqualTo(expectedByFirstRun(runs, key)));
        Map<String, String> lotOf = new HashMap<>();
        runs.forEach(p -> lotOf.put(p.run().unit(), p.lot()));
        assertThat(groups(product, "lot", "")).isEqualTo(expectedByFirstRun(runs, r -> product + "/" + lotOf.get(r.unit())));
        assertThat(groups(product, "station", "")).isEqualTo(expectedByStation(runs));
        assertThat(groups(product, "week", "")).containsKeys("2026-W18", "2026-W19");
        assertThat(groups(product, "month", "")).containsKeys("2026-04", "2026-05");

        // and with a station and a time range: that station's runs of the units whose first run there is in the range
        Instant from = Instant.parse("2026-04-29T00:00:00Z");
        Instant to = Instant.parse("2026-05-03T00:00:00Z");
        List<Published> atStation = runs.stream().filter(p -> p.run().station().equals("AA-01")).toList();
        Map<String, UnitYield> firstAtStation = UnitYield.byUnit(atStation.stream().map(Published::run).toList());
        List<Published> inRange = atStation.stream().filter(p -> {
            Instant first = firstAtStation.get(p.run().unit()).first().startTime();
            return !first.isBefore(from) && first.isBefore(to);
        }).toList();
        assertThat(groups(product, "day", "&station=AA-01&from=" + from + "&to=" + to))
                .isEqualTo(expectedByFirstRun(inRange, r -> PLANT.dayOf(r.startTime()).toString()))
                .isNotEmpty();
    }

    /** The groups of /api/yield as key -> [units, first pass, final pass, runs, passed runs]. */
    private static Map<String, List<Integer>> groups(String product, String groupBy, String more) {
        JsonPath json = given().get("/api/yield?operation=ALIGN&product=" + product + "&groupBy=" + groupBy + more).then().statusCode(200)
                .extract().jsonPath();
        Map<String, List<Integer>> out = new TreeMap<>();
        for (Map<String, Object> g : json.<Map<String, Object>>getList("groups")) {
            out.put((String) g.get("key"), List.of((Integer) g.get("units"), (Integer) g.get("firstPassUnits"),
                    (Integer) g.get("finalPassUnits"), (Integer) g.get("runs"), (Integer) g.get("passedRuns")));
        }
        return out;
    }

    private static Map<String, List<Integer>> expectedByFirstRun(List<Published> runs, Function<UnitRun, String> key) {
        Map<String, UnitYield> units = UnitYield.byUnit(runs.stream().map(Published::run).toList());
        Map<String, YieldFigures> sums = new HashMap<>();
        units.values().forEach(u -> sums.merge(key.apply(u.first()), u.figures(), YieldFigures::plus));
        return counts(sums);
    }

    private static Map<String, List<Integer>> expectedByStation(List<Published> runs) {
        Map<String, List<UnitRun>> byUnit = new HashMap<>();
        runs.forEach(p -> byUnit.computeIfAbsent(p.run().unit(), k -> new ArrayList<>()).add(p.run()));
        Map<String, YieldFigures> sums = new HashMap<>();
        byUnit.values().forEach(unitRuns -> UnitYield.byStation(unitRuns).forEach((station, y) -> sums.merge(station, y.figures(),
                YieldFigures::plus)));
        return counts(sums);
    }

    private static Map<String, List<Integer>> counts(Map<String, YieldFigures> sums) {
        Map<String, List<Integer>> out = new TreeMap<>();
        sums.forEach((k, f) -> out.put(k, List.of(f.units(), f.firstPassUnits(), f.finalPassUnits(), f.runs(), f.passedRuns())));
        return out;
    }

    @Test
    void aDaysStatisticsReadOnlyThatDaysMonthOfAlignmentValues() throws Exception {
        // given a unit aligned and judged in each of January, February and March
        String product = TestVerdicts.uniqueSerial("PP");
        List<Instant> starts = List.of(Instant.parse("2026-01-15T10:00:00Z"), Instant.parse("2026-02-15T10:00:00Z"),
                Instant.parse("2026-03-15T10:00:00Z"));
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            for (Instant at : starts) {
                String serial = TestVerdicts.uniqueSerial("PS");
                producer.send(Topics.STATION_EVENTS.name(), serial, started(serial, product, "LOT-P", "AA-09", Operation.ALIGN, 1, at, 2));
                producer.send(Topics.STATION_EVENTS.name(), serial, alignment(serial, "AA-09", 1, AlignmentStep.POST_THERMAL,
                        at.plusSeconds(300), 1.0, 1.2));
                producer.send(Topics.VERDICTS.name(), serial, TestVerdicts.verdict(serial, product, "LOT-P", "AA-09", Operation.ALIGN, 1,
                        Outcome.PASS, at, 1, null, List.of()));
            }
        }
        String day = "/api/coupling-loss?step=POST_THERMAL&product=" + product + "&from=2026-02-15T00:00:00Z&to=2026-02-16T00:00:00Z";
        await().atMost(TIMEOUT).until(() -> given().get(day).jsonPath().getList("n").size() == 2);
        await().atMost(TIMEOUT).until(() -> given().get("/api/coupling-loss?step=POST_THERMAL&product=" + product).jsonPath()
                .getList("n").equals(List.of(3, 3)));

        // when the day's statistics are asked for again, with the scans of each month's partition counted around it (a
        // backend reports its counts within PostgreSQL's idle interval of 10 s: the counts are read once they stand still)
        Map<String, Long> before = settledScans();
        JsonPath stats = given().get(day).then().statusCode(200).extract().jsonPath();
        Map<String, Long> after = settledScans();

        // then February's partition was read and neither January's nor March's
        assertThat(stats.getList("n")).containsExactly(1, 1);
        assertThat(stats.getDouble("[1].meanDb")).isEqualTo(1.2);
        assertThat(after.get("alignment_values_y2026m02")).isGreaterThan(before.get("alignment_values_y2026m02"));
        assertThat(after.get("alignment_values_y2026m01")).isEqualTo(before.get("alignment_values_y2026m01"));
        assertThat(after.get("alignment_values_y2026m03")).isEqualTo(before.get("alignment_values_y2026m03"));
    }

    /**
     * {@link #scans()} once they have not changed over 11 s: an idle backend flushes its statistics within 10 s
     * (PostgreSQL's PGSTAT_IDLE_INTERVAL), so by then every scan the service made is counted.
     */
    private static Map<String, Long> settledScans() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Map<String, Long>> last = new java.util.concurrent.atomic.AtomicReference<>(scans());
        return await().pollDelay(Duration.ofSeconds(11)).pollInterval(Duration.ofSeconds(11)).atMost(Duration.ofMinutes(3))
                .until(() -> {
                    Map<String, Long> now = scans();
                    return now.equals(last.getAndSet(now)) ? now : null;
                }, java.util.Objects::nonNull);
    }

    /** Sequential plus index scans of each alignment-values partition, from PostgreSQL's statistics. */
    private static Map<String, Long> scans() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables
                        WHERE relname LIKE 'alignment\\_values\\_y%'""");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    void retentionDropsWholeMonthsThatAgedPastIt() {
        // given a run and its values from four and a half years ago, older than the retention of both (P3Y, P2Y)
        Instant old = Instant.now().atOffset(ZoneOffset.UTC).minusYears(4).minusMonths(6).toInstant();
        String month = YearMonth.from(old.atOffset(ZoneOffset.UTC)).toString().replace("-", "m");
        String serial = TestVerdicts.uniqueSerial("OLD");
        try (EventProducer producer = new EventProducer(bootstrapServers)) {
            producer.send(Topics.STATION_EVENTS.name(), serial, started(serial, "P-OLD", "LOT-OLD", "AA-01", Operation.ALIGN, 1, old, 1));
            producer.send(Topics.STATION_EVENTS.name(), serial, alignment(serial, "AA-01", 1, AlignmentStep.PRE_CURE, old.plusSeconds(60), 1.5));
        }

        // when retention runs (every 2 s here), then it drops both months, which held the rows
        await().atMost(TIMEOUT).until(() -> {
            List<String> dropped = given().get("/api/storage").jsonPath().getList("lastRetention.dropped");
            return dropped != null && dropped.contains("runs_y" + month) && dropped.contains("alignment_values_y" + month);
        });
        JsonPath storage = given().get("/api/storage").jsonPath();
        List<String> runPartitions = storage.getList("tables.find { it.table == 'runs' }.partitions.name");
        assertThat(runPartitions).doesNotContain("runs_y" + month);
        // and this month's and the next two months' partitions are made ahead of the rows that will need them
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        for (int i = 0; i <= 2; i++) {
            assertThat(runPartitions).contains("runs_y" + now.plusMonths(i).toString().replace("-", "m"));
        }
        assertThat(storage.getString("tables.find { it.table == 'alignment_values' }.retention")).isEqualTo("P2Y");
        assertThat(storage.getLong("tables.find { it.table == 'verdicts' }.bytes")).isPositive();
    }

    @Test
    void sessionsMakingTheSameMonthAtOnceAllSucceedAndMakeItOnce() throws Exception {
        // months far ahead that nothing else makes; each made by 6 sessions released at the same moment
        for (int month = 1; month <= 4; month++) {
            Instant at = YearMonth.of(2041, month).atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC);
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(6);
            List<java.util.concurrent.Future<String>> made = new ArrayList<>();
            java.util.concurrent.ExecutorService sessions = java.util.concurrent.Executors.newFixedThreadPool(6);
            try {
                for (int s = 0; s < 6; s++) {
                    made.add(sessions.submit(() -> {
                        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection();
                                PreparedStatement ensure = c.prepareStatement("SELECT cpo_ensure_month_partition('runs', ?)")) {
                            ensure.setObject(1, at.atOffset(ZoneOffset.UTC));
                            together.await();
                            try (ResultSet rs = ensure.executeQuery()) {
                                rs.next();
                                return rs.getString(1);
                            }
                        }
                    }));
                }
                for (java.util.concurrent.Future<String> f : made) {
                    assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(String.format("runs_y2041m%02d", month));
                }
            } finally {
                sessions.shutdownNow();
            }
            try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection();
                    PreparedStatement attached = c.prepareStatement(
                            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'runs'::regclass AND inhrelid::regclass::text = ?")) {
                attached.setString(1, String.format("runs_y2041m%02d", month));
                try (ResultSet rs = attached.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        }
    }
}
