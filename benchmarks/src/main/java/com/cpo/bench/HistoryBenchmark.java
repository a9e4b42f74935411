package com.cpo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./benchmarks/run history}: a year of one line in the real PostgreSQL ({@link HistoryLoader}: 540,000 units,
 * 1.1 million runs, 51 million alignment values, loaded with COPY), the packaged service on it with {@code -Xmx256m}, and
 * five questions asked through REST and, in the same run, as the bare SQL that computes the same figures on the same
 * tables: yield for the year by day, yield of one lot, coupling-loss statistics of one station for one month, the workbook
 * of one week without raw data, and a unit's history. Each REST answer is checked against its SQL (and the year's yield
 * against the same figures computed from the verdicts alone), so a fast wrong answer fails the benchmark.
 *
 * <p>The loaded database is kept in {@code benchmarks/target/history-db} for the next run (its load time is remembered);
 * {@code -Dbench.history.reload=true} loads it again. Settings: {@code bench.history.units} (540000),
 * {@code bench.history.repeats} (7 timings of each question, after one warm-up), {@code bench.history.unit-requests} (300).
 * Figures: each question's median REST and SQL milliseconds and their ratio, {@code slowest_request_ms}, the tables' sizes,
 * the load and fold-in times, then {@code history_p50_ratio} (median of the ratios), {@code peak_heap_mb} (the largest heap
 * occupancy the service's GC log shows, start-up included) and {@code unit_history_p99_ms}.
 */
final class HistoryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GENERATOR_VERSION = 1;
    private static final Map<String, String> POSTGRES_SETTINGS = Map.of("shared_buffers", "2GB", "work_mem", "64MB",
            "maintenance_work_mem", "1GB", "effective_cache_size", "8GB", "max_wal_size", "8GB", "checkpoint_timeout", "30min",
            "max_parallel_workers_per_gather", "2", "max_parallel_maintenance_workers", "2", "random_page_cost", "1.1");
    private static final String FROM = HistoryLoader.YEAR_START.toString();
    private static final String TO = HistoryLoader.YEAR_END.toString();
    private static final String STATION = "AA-03";
    private static final String MONTH_FROM = "2026-10-01T00:00:00Z";
    private static final String MONTH_TO = "2026-11-01T00:00:00Z";
    /** The first administrator's session: every REST request of the benchmark carries it, as a person's would. */
    private static com.cpo.launcher.ServiceSession session;
    private static final String WEEK_FROM = "2026-10-05T00:00:00Z";
    private static final String WEEK_TO = "2026-10-12T00:00:00Z";

    private HistoryBenchmark() {
    }

    static void run() throws Exception {
        int units = Integer.getInteger("bench.history.units", 540_000);
        int repeats = Integer.getInteger("bench.history.repeats", 7);
        int unitRequests = Integer.getInteger("bench.history.unit-requests", 300);
        Path db = Path.of("target/history-db").toAbsolutePath();
        Path marker = db.resolve("loaded.properties");
        Properties loaded = new Properties();
        boolean reuse = false;
        if (Files.exists(marker) && !Boolean.getBoolean("bench.history.reload")) {
            try (InputStream in = Files.newInputStream(marker)) {
                loaded.load(in);
            }
            reuse = String.valueOf(GENERATOR_VERSION).equals(loaded.getProperty("version"))
                    && String.valueOf(units).equals(loaded.getProperty("units"));
        }
        if (!reuse) {
            BenchFiles.deleteTree(db);
        }
        Path work = BenchFiles.newWorkDir("history");
        System.err.printf(Locale.ROOT, "history: %,d units, database %s (%s), work %s%n", units, db, reuse ? "loaded before" : "to load", work);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work);
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startKept(db, "cpo", POSTGRES_SETTINGS)) {
            kafka.createTopics(com.cpo.schemas.TopicLayout.SINGLE_BROKER.newTopics());
            if (!reuse) {
                // the schema is the service's own (Flyway at start); then the year, straight into its tables
                try (ServiceProcess schema = ServiceProcess.start(work, "schema", kafka, postgres, List.of("-Xmx256m",
                        "-Dcpo.platform.security.admin-password-file=" + db.resolve("admin-password")), Duration.ofSeconds(120))) {
                    System.err.println("  schema made by the service");
                }
                long t0 = System.nanoTime();
                HistoryLoader.Counts counts = new HistoryLoader(units).load(postgres.dataSource());
                loaded.setProperty("version", String.valueOf(GENERATOR_VERSION));
                loaded.setProperty("units", String.valueOf(units));
                loaded.setProperty("load_s", String.format(Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9));
                loaded.setProperty("runs", String.valueOf(counts.runs()));
                loaded.setProperty("align_runs", String.valueOf(counts.alignRuns()));
                loaded.setProperty("verdicts", String.valueOf(counts.verdicts()));
                loaded.setProperty("alignment_values", String.valueOf(counts.alignmentValues()));
                System.err.printf(Locale.ROOT, "  loaded in %s s: %s%n", loaded.getProperty("load_s"), counts);
            }
            Path gcLog = work.resolve("gc.log");
            long t0 = System.nanoTime();
            try (ServiceProcess service = ServiceProcess.start(work, "platform-service", kafka, postgres,
                    List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog, "-Dcpo.platform.security.admin-password-file=" + db.resolve("admin-password")),
                    Duration.ofMinutes(30))) {
                double startS = (System.nanoTime() - t0) / 1e9;
                String folded = foldInLine(service.log());
                if (folded != null && !reuse) {
                    loaded.setProperty("fold_in", folded);
                }
                if (!reuse || !loaded.containsKey("fold_in_start_s")) {
                    loaded.setProperty("fold_in_start_s", String.format(Locale.ROOT, "%.0f", startS));
                }
                try (OutputStream out = Files.newOutputStream(marker)) {
                    loaded.store(out, "history benchmark: what is loaded in this database");
                }
                System.err.printf(Locale.ROOT, "  service ready in %.0f s at %s%s%n", startS, service.url(), folded == null ? "" : " (" + folded + ")");
                try (Connection sql = postgres.dataSource().getConnection()) {
                    session = service.session();
                    measure(service.url(), sql, repeats, unitRequests, units, loaded, gcLog);
                }
            }
        } finally {
            BenchFiles.deleteTree(work);
        }
    }

    /** The service's "yield rows: N units folded in, in X s" line, when it folded stored verdicts in at this start. */
    private static String foldInLine(Path log) throws IOException {
        Pattern p = Pattern.compile("yield rows: ([\\d,]+) units folded in, in ([\\d.]+) s");
        for (String line : Files.readAllLines(log)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1) + " units in " + m.group(2) + " s";
            }
        }
        return null;
    }

    /** One question: its REST request and its bare SQL, timed alternately. */
    private record Question(String name, String path, List<String> sql) {
    }

    private static void measure(String url, Connection sql, int repeats, int unitRequests, int units, Properties loaded, Path gcLog)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String lot = HistoryLoader.lot(units / 2);
        String product = HistoryLoader.product(units / 2);
        List<Question> questions = List.of(
                new Question("year_by_day", "/api/yield?operation=ALIGN&groupBy=day&from=" + FROM + "&to=" + TO,
                        List.of(operationsSql("first_run_start >= '" + FROM + "' AND first_run_start < '" + TO + "'"),
                                yieldSql("to_char(first_run_start AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
                                        "operation = 'ALIGN' AND first_run_start >= '" + FROM + "' AND first_run_start < '" + TO + "'"))),
                new Question("one_lot", "/api/yield?operation=ALIGN&product=" + product + "&lot=" + lot,
                        List.of(operationsSql("product = '" + product + "' AND lot = '" + lot + "'"),
                                yieldSql("product || '/' || lot", "operation = 'ALIGN' AND product = '" + product + "' AND lot = '" + lot + "'"))),
                new Question("station_month_statistics", "/api/coupling-loss?station=" + STATION + "&from=" + MONTH_FROM + "&to=" + MONTH_TO,
                        List.of(statisticsSql("v.station = '" + STATION + "'", MONTH_FROM, MONTH_TO))),
                new Question("week_workbook", "/api/reports/yield.xlsx?operation=ALIGN&rawData=false&from=" + WEEK_FROM + "&to=" + WEEK_TO,
                        workbookSql(WEEK_FROM, WEEK_TO)));

        // correctness first: each REST answer against its SQL, and the year's yield against the verdicts themselves
        checkYield(http, url, questions.get(0), sql, "groups", "key");
        checkYield(http, url, questions.get(1), sql, "groups", "key");
        checkStatistics(http, url, questions.get(2), sql);
        long fromVerdicts = checkAgainstVerdicts(http, url, sql);
        Map<String, String> plans = plans(sql);

        Map<String, double[]> medians = new LinkedHashMap<>();
        double slowest = 0;
        double slowestWarmUp = 0;
        for (Question q : questions) {
            List<Double> rest = new ArrayList<>();
            List<Double> bare = new ArrayList<>();
            for (int i = 0; i <= repeats; i++) {
                double r = timeRest(http, url + q.path());
                double s = timeSql(sql, q.sql());
                if (i > 0) { // the first of each is a warm-up
                    rest.add(r);
                    bare.add(s);
                    slowest = Math.max(slowest, r);
                } else {
                    slowestWarmUp = Math.max(slowestWarmUp, r);
                }
            }
            medians.put(q.name(), new double[] {median(rest), median(bare)});
            System.err.printf(Locale.ROOT, "  %s: REST %.0f ms, SQL %.0f ms%n", q.name(), median(rest), median(bare));
        }
        // a unit's history: many units, chosen at random
        Random random = new Random(17);
        List<Double> unitRest = new ArrayList<>();
        List<Double> unitSql = new ArrayList<>();
        for (int i = 0; i < unitRequests + 10; i++) {
            String serial = HistoryLoader.serial(random.nextInt(units));
            double r = timeRest(http, url + "/api/units/" + serial);
            double s = timeSql(sql, unitSql(serial));
            if (i >= 10) {
                unitRest.add(r);
                unitSql.add(s);
                slowest = Math.max(slowest, r);
            } else {
                slowestWarmUp = Math.max(slowestWarmUp, r);
            }
        }
        medians.put("unit_history", new double[] {median(unitRest), median(unitSql)});

        // figures
        List<Double> ratios = new ArrayList<>();
        medians.forEach((name, m) -> {
            System.out.printf(Locale.ROOT, "%s_rest_ms: %.1f%n", name, m[0]);
            System.out.printf(Locale.ROOT, "%s_sql_ms: %.1f%n", name, m[1]);
            System.out.printf(Locale.ROOT, "%s_ratio: %.2f%n", name, m[0] / m[1]);
            ratios.add(m[0] / m[1]);
        });
        System.out.printf(Locale.ROOT, "year_by_day_from_verdicts_sql_ms: %d%n", fromVerdicts);
        System.out.printf(Locale.ROOT, "slowest_request_ms: %.0f%n", slowest);
        // the first request of each kind after start-up: class loading and JIT compilation included
        System.out.printf(Locale.ROOT, "slowest_first_request_ms: %.0f%n", slowestWarmUp);
        plans.forEach((k, v) -> System.out.println(k + ": " + v));
        for (String[] table : sizes(sql)) {
            System.out.println("size_" + table[0] + "_mb: " + table[1]);
            System.out.println("rows_" + table[0] + ": " + table[2]);
        }
        System.out.println("load_s: " + loaded.getProperty("load_s"));
        System.out.println("fold_in_start_s: " + loaded.getProperty("fold_in_start_s"));
        System.out.printf(Locale.ROOT, "history_p50_ratio: %.2f%n", median(ratios));
        System.out.println("peak_heap_mb: " + peakHeapMb(gcLog));
        System.out.printf(Locale.ROOT, "unit_history_p99_ms: %.0f%n", percentile(unitRest, 99));
    }

    // ---- the bare SQL: written here by hand against the platform's tables, the statements an engineer would run

    private static final String YIELD_COUNTS = "count(*), count(*) FILTER (WHERE first_passed), count(*) FILTER (WHERE final_passed), "
            + "sum(runs), sum(passed_runs)";

    private static String operationsSql(String where) {
        return "SELECT operation, " + YIELD_COUNTS + " FROM unit_yield WHERE " + where + " GROUP BY 1";
    }

    private static String yieldSql(String key, String where) {
        return "SELECT " + key + ", " + YIELD_COUNTS + " FROM unit_yield WHERE " + where + " GROUP BY 1 ORDER BY 1";
    }

    private static String statisticsSql(String where, String from, String to) {
        return "SELECT u.product, a.step, a.channel, count(*), avg(a.coupling_loss_db), stddev_samp(a.coupling_loss_db), "
                + "min(a.coupling_loss_db), max(a.coupling_loss_db), "
                + "percentile_cont(ARRAY[0.01, 0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY a.coupling_loss_db) "
                + "FROM verdicts v JOIN units u ON u.id = v.unit_id JOIN alignment_values a ON a.run_id = v.run_id "
                + "WHERE v.operation = 'ALIGN' AND v.outcome IN ('PASS', 'FAIL') AND " + where
                + " AND v.run_start_time >= '" + from + "' AND v.run_start_time < '" + to + "'"
                + " AND a.measured_at >= timestamptz '" + from + "' - interval '1 day' AND a.measured_at < timestamptz '" + to
                + "' + interval '1 day' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
    }

    private static List<String> workbookSql(String from, String to) {
        String range = "first_run_start >= '" + from + "' AND first_run_start < '" + to + "'";
        String scope = "FROM (SELECT unit_id FROM unit_yield WHERE operation = 'ALIGN' AND " + range + ") s "
                + "JOIN verdicts v ON v.unit_id = s.unit_id AND v.operation = 'ALIGN' ";
        return List.of(
                operationsSql(range),
                yieldSql("product || '/' || lot", "operation = 'ALIGN' AND " + range),
                "SELECT station, " + YIELD_COUNTS + " FROM unit_station_yield WHERE operation = 'ALIGN' AND " + range + " GROUP BY 1",
                yieldSql("to_char(first_run_start AT TIME ZONE 'UTC', 'HH24:MI:SS')", "operation = 'ALIGN' AND " + range),
                yieldSql("to_char(first_run_start AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "operation = 'ALIGN' AND " + range),
                "SELECT cause, count(*) FROM (SELECT DISTINCT v.id, CASE WHEN v.outcome = 'INCOMPLETE' THEN 'INCOMPLETE' "
                        + "WHEN f.id IS NULL THEN 'FAIL, no check recorded' WHEN f.step IS NULL THEN f.parameter "
                        + "ELSE f.parameter || ' ' || f.step END AS cause " + scope
                        + "LEFT JOIN failed_checks f ON f.verdict_id = v.id AND v.outcome = 'FAIL' WHERE v.outcome <> 'PASS') c "
                        + "GROUP BY 1 ORDER BY 2 DESC",
                "SELECT u.serial, u.product, u.lot, v.run_id, v.attempt, v.station, v.outcome, v.reason, f.parameter, f.step, f.channel, "
                        + "f.value, f.lower_limit, f.upper_limit, f.unit_of_measure " + scope + "JOIN units u ON u.id = v.unit_id "
                        + "LEFT JOIN failed_checks f ON f.verdict_id = v.id AND v.outcome = 'FAIL' WHERE v.outcome <> 'PASS' "
                        + "ORDER BY u.serial, v.run_start_time, v.attempt, v.id, f.id",
                statisticsSql("true", from, to),
                "SELECT a.coupling_loss_db, count(*) FROM verdicts v JOIN alignment_values a ON a.run_id = v.run_id "
                        + "WHERE v.operation = 'ALIGN' AND v.outcome IN ('PASS', 'FAIL') AND a.step = 'POST_THERMAL' "
                        + "AND v.run_start_time >= '" + from + "' AND v.run_start_time < '" + to + "' AND a.measured_at >= timestamptz '"
                        + from + "' - interval '1 day' AND a.measured_at < timestamptz '" + to + "' + interval '1 day' GROUP BY 1");
    }

    private static List<String> unitSql(String serial) {
        return List.of(
                "SELECT id, product, serial, lot FROM units WHERE serial = '" + serial + "'",
                "SELECT v.*, f.* FROM verdicts v JOIN units u ON u.id = v.unit_id LEFT JOIN failed_checks f ON f.verdict_id = v.id "
                        + "WHERE u.serial = '" + serial + "' ORDER BY v.run_start_time, v.attempt, v.id",
                "SELECT r.* FROM runs r JOIN units u ON u.id = r.unit_id WHERE u.serial = '" + serial + "' ORDER BY r.started_at, r.attempt",
                "SELECT run_id, step, channel, coupling_loss_db, pdl_db, measured_at FROM alignment_values WHERE serial = '" + serial
                        + "' ORDER BY run_id, step, channel",
                "SELECT * FROM burnin_channel_summaries WHERE serial = '" + serial + "' ORDER BY run_id, channel",
                "SELECT s.*, l.* FROM limit_sets s JOIN limits l ON l.limit_set_pk = s.id WHERE s.status = 'RELEASED'");
    }

    // ---- checks: a fast wrong answer is no answer

    /** The REST groups (key, units, first pass, final pass, runs, passed runs) equal the second statement's rows. */
    private static void checkYield(HttpClient http, String url, Question q, Connection sql, String field, String key) throws Exception {
        JsonNode rest = getJson(http, url + q.path());
        Map<String, List<Long>> fromRest = new TreeMap<>();
        for (JsonNode g : rest.get(field)) {
            fromRest.put(g.get(key).asText(), List.of(g.get("units").asLong(), g.get("firstPassUnits").asLong(), g.get("finalPassUnits").asLong(),
                    g.get("runs").asLong(), g.get("passedRuns").asLong()));
        }
        Map<String, List<Long>> fromSql = rows(sql, q.sql().get(1));
        if (!fromRest.equals(fromSql) || fromRest.isEmpty()) {
            throw new IllegalStateException(q.name() + ": REST and SQL differ or are empty:\nREST " + fromRest + "\nSQL  " + fromSql);
        }
        System.err.printf(Locale.ROOT, "  %s: REST equals SQL (%d groups)%n", q.name(), fromRest.size());
    }

    private static void checkStatistics(HttpClient http, String url, Question q, Connection sql) throws Exception {
        JsonNode rest = getJson(http, url + q.path());
        int compared = 0;
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery(q.sql().get(0))) {
            while (rs.next()) {
                JsonNode row = null;
                for (JsonNode r : rest) {
                    if (r.get("product").asText().equals(rs.getString(1)) && r.get("step").asText().equals(rs.getString(2))
                            && r.get("channel").asInt() == rs.getInt(3)) {
                        row = r;
                    }
                }
                Double[] p = (Double[]) rs.getArray(9).getArray();
                if (row == null || row.get("n").asLong() != rs.getLong(4) || Math.abs(row.get("meanDb").asDouble() - rs.getDouble(5)) > 1e-9
                        || Math.abs(row.get("p50Db").asDouble() - p[1]) > 1e-12 || Math.abs(row.get("p99Db").asDouble() - p[3]) > 1e-12) {
                    throw new IllegalStateException(q.name() + ": REST and SQL differ at " + rs.getString(1) + " " + rs.getString(2) + " channel "
                            + rs.getInt(3) + ": REST " + row);
                }
                compared++;
            }
        }
        if (compared == 0 || compared != rest.size()) {
            throw new IllegalStateException(q.name() + ": " + compared + " SQL rows, " + rest.size() + " REST rows");
        }
        System.err.printf(Locale.ROOT, "  %s: REST equals SQL (%d product/step/channel rows)%n", q.name(), compared);
    }

    /**
     * The year's ALIGN yield by day computed from the verdicts alone (each unit's first and last run by start time, then
     * attempt), against REST; returns how long that SQL took: the cost the yield rows save on every request.
     */
    private static long checkAgainstVerdicts(HttpClient http, String url, Connection sql) throws Exception {
        String fromVerdicts = """
                WITH ordered AS (
                    SELECT unit_id, run_start_time, outcome,
                           row_number() OVER (PARTITION BY unit_id ORDER BY run_start_time, attempt) AS first_rank,
                           row_number() OVER (PARTITION BY unit_id ORDER BY run_start_time DESC, attempt DESC) AS last_rank
                    FROM verdicts WHERE operation = 'ALIGN'),
                per_unit AS (
                    SELECT unit_id, min(run_start_time) AS first_start, bool_or(first_rank = 1 AND outcome = 'PASS') AS first_passed,
                           bool_or(last_rank = 1 AND outcome = 'PASS') AS final_passed, count(*) AS runs,
                           count(*) FILTER (WHERE outcome = 'PASS') AS passed_runs
                    FROM ordered GROUP BY unit_id)
                SELECT to_char(first_start AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*), count(*) FILTER (WHERE first_passed),
                       count(*) FILTER (WHERE final_passed), sum(runs), sum(passed_runs)
                FROM per_unit WHERE first_start >= '%s' AND first_start < '%s' GROUP BY 1 ORDER BY 1""".formatted(FROM, TO);
        long t0 = System.nanoTime();
        Map<String, List<Long>> expected = rows(sql, fromVerdicts);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JsonNode rest = getJson(http, url + "/api/yield?operation=ALIGN&groupBy=day&from=" + FROM + "&to=" + TO);
        Map<String, List<Long>> actual = new TreeMap<>();
        for (JsonNode g : rest.get("groups")) {
            actual.put(g.get("key").asText(), List.of(g.get("units").asLong(), g.get("firstPassUnits").asLong(), g.get("finalPassUnits").asLong(),
                    g.get("runs").asLong(), g.get("passedRuns").asLong()));
        }
        if (!expected.equals(actual)) {
            throw new IllegalStateException("the year's yield by day differs from the verdicts':\nREST     " + actual + "\nverdicts " + expected);
        }
        System.err.printf(Locale.ROOT, "  year by day: REST equals the figures from the verdicts alone (%d days; that SQL took %d ms)%n",
                actual.size(), ms);
        return ms;
    }

    private static Map<String, List<Long>> rows(Connection sql, String query) throws SQLException {
        Map<String, List<Long>> out = new TreeMap<>();
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
            }
        }
        return out;
    }

    /** What PostgreSQL does for a day's and a month's question: no sequential scan of the year, only the months asked. */
    private static Map<String, String> plans(Connection sql) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        String day = explain(sql, yieldSql("to_char(first_run_start AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
                "operation = 'ALIGN' AND first_run_start >= '2026-10-06T00:00:00Z' AND first_run_start < '2026-10-07T00:00:00Z'"));
        out.put("day_yield_seq_scans", String.valueOf(count(day, "Seq Scan")));
        out.put("day_yield_uses_index", String.valueOf(day.contains("unit_yield_first_run_idx")));
        String month = explain(sql, statisticsSql("v.station = '" + STATION + "'", MONTH_FROM, MONTH_TO));
        out.put("station_month_alignment_partitions_read", String.valueOf(distinct(month, "alignment_values_y\\d{4}m\\d{2}")));
        out.put("alignment_partitions_total", String.valueOf(scalar(sql,
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'alignment_values'::regclass")));
        String dayStats = explain(sql, statisticsSql("true", "2026-10-06T00:00:00Z", "2026-10-07T00:00:00Z"));
        out.put("day_statistics_alignment_partitions_read", String.valueOf(distinct(dayStats, "alignment_values_y\\d{4}m\\d{2}")));
        out.put("day_statistics_alignment_seq_scans", String.valueOf(count(dayStats, "Seq Scan on alignment_values")));
        System.err.println("  plan of a day's yield:\n" + day.indent(4) + "  plan of a station's month of statistics:\n" + month.indent(4));
        return out;
    }

    private static String explain(Connection sql, String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static int distinct(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        while (m.find()) {
            seen.add(m.group());
        }
        return seen.size();
    }

    private static long scalar(Connection sql, String query) throws SQLException {
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Table, size in MB with indexes, rows; partitions summed into their table. */
    private static List<String[]> sizes(Connection sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Statement s = sql.createStatement()) {
            s.execute("ANALYZE unit_yield, unit_station_yield");
        }
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT coalesce(p.relname, t.relname), (sum(pg_total_relation_size(t.oid)) / 1048576)::bigint, sum(greatest(t.reltuples, 0))::bigint
                FROM pg_class t LEFT JOIN pg_inherits i ON i.inhrelid = t.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
                WHERE t.relkind = 'r' AND t.relnamespace = 'public'::regnamespace
                  AND coalesce(p.relname, t.relname) IN ('units', 'verdicts', 'failed_checks', 'runs', 'alignment_values', 'unit_yield',
                                                         'unit_station_yield')
                GROUP BY 1 ORDER BY 1""")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        out.add(new String[] {"database", String.valueOf(scalar(sql, "SELECT pg_database_size(current_database()) / 1048576")),
                String.valueOf(scalar(sql, "SELECT sum(greatest(reltuples, 0))::bigint FROM pg_class WHERE relkind = 'r'"))});
        return out;
    }

    // ---- timing

    private static double timeRest(HttpClient http, String url) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> response = http.send(session.request(url).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return ms;
    }

    /** Runs the statements one after the other and reads every row, as a client would. */
    private static double timeSql(Connection sql, List<String> statements) throws SQLException {
        long t0 = System.nanoTime();
        for (String query : statements) {
            try (PreparedStatement s = sql.prepareStatement(query)) {
                s.setFetchSize(2_000);
                try (ResultSet rs = s.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            rs.getObject(i);
                        }
                    }
                }
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static JsonNode getJson(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(session.request(url).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The largest heap occupancy before a collection in the GC log (e.g. "Pause Young ... 180M->40M(256M)"), in MB. */
    private static long peakHeapMb(Path gcLog) throws IOException {
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
        long peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }

    private static double median(List<Double> values) {
        return percentile(values, 50);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
