package com.cpo.systemtest;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.cpo.domain.YieldFigures;
import com.cpo.events.AlignmentResult;
import com.cpo.events.BurnInReading;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one checker of a run: it follows every measurement the simulated testers wrote across each boundary and says
 * what was lost, what was duplicated with different content, and which figures differ from what a fault-free run gives
 * ({@link Truth}: the domain rules applied to what was written).
 *
 * <pre>
 * written (truth) ─▶ cpo.station-events.v1 (distinct events, read committed) ─▶ cpo.verdicts.v1 (read committed, one per run)
 *   ─▶ PostgreSQL (runs, verdicts, alignment values, burn-in summaries) ─▶ figures: analytics app and REST
 * </pre>
 */
public final class Ledger {

    /** How many examples of each kind a report names. */
    static final int EXAMPLES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * What the ledger found.
     *
     * @param eventsWritten events the testers wrote
     * @param eventsAcknowledged distinct written events on the station-events topic (acknowledged by the cluster)
     * @param runs runs written
     * @param verdictsCommitted runs with a committed verdict
     * @param runsStored runs with a verdict row in PostgreSQL
     * @param lost count of losses at any boundary
     * @param duplicated count of duplicates with different content (or a second verdict of a run)
     * @param differing count of figures (verdict outcomes, yield, statistics) that differ from the fault-free ones
     * @param examples the first few of each, for the operator
     * @param foreignEvents records on the station-events topic that the testers did not write (injected poison, replays)
     */
    public record Report(int eventsWritten, int eventsAcknowledged, int runs, int verdictsCommitted, int runsStored, int lost, int duplicated,
            int differing, List<String> examples, int foreignEvents) {

        public boolean clean() {
            return lost == 0 && duplicated == 0 && differing == 0;
        }
    }

    private final Truth truth;
    private final String bootstrapServers;
    private final DataSource database;
    private final String analyticsUrl;
    private final Properties kafkaLogin;
    private final com.cpo.launcher.ServiceSession service;
    private final EventCodec codec = EventCodec.standard();

    public Ledger(Truth truth, String bootstrapServers, DataSource database, String analyticsUrl, com.cpo.launcher.ServiceSession service) {
        this(truth, bootstrapServers, new Properties(), database, analyticsUrl, service);
    }

    /**
     * A ledger of a secured cluster.
     *
     * @param kafkaLogin client settings of a user that may read every topic (the admin's, {@code KafkaClientConfig.scram})
     */
    public Ledger(Truth truth, String bootstrapServers, Properties kafkaLogin, DataSource database, String analyticsUrl,
            com.cpo.launcher.ServiceSession service) {
        this.kafkaLogin = kafkaLogin;
        this.truth = truth;
        this.bootstrapServers = bootstrapServers;
        this.database = database;
        this.analyticsUrl = analyticsUrl;
        this.service = service;
    }

    /** Checks every boundary once. */
    public Report check() {
        Findings f = new Findings();
        int acknowledged = checkEvents(f);
        int committed = checkVerdicts(f);
        int stored = checkDatabase(f);
        checkFigures(f);
        return new Report(truth.eventCount(), acknowledged, truth.runCount(), committed, stored, f.lost.size(), f.duplicated.size(),
                f.differing.size(), f.examples(), f.foreign);
    }

    private static final class Findings {
        final List<String> lost = new ArrayList<>();
        final List<String> duplicated = new ArrayList<>();
        final List<String> differing = new ArrayList<>();
        int foreign;

        List<String> examples() {
            List<String> out = new ArrayList<>();
            lost.stream().limit(EXAMPLES).forEach(s -> out.add("lost: " + s));
            duplicated.stream().limit(EXAMPLES).forEach(s -> out.add("duplicated: " + s));
            differing.stream().limit(EXAMPLES).forEach(s -> out.add("differs: " + s));
            return out;
        }
    }

    /** Distinct written events on the topic; duplicates must carry the same id and the same bytes. */
    private int checkEvents(Findings f) {
        Map<String, byte[]> byEventId = new HashMap<>();
        Map<String, Set<String>> idsByKey = new HashMap<>();
        Set<String> reportedDuplicates = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : readAll(Topics.STATION_EVENTS.name())) {
            SpecificRecord event;
            try {
                event = codec.decode(record.value());
            } catch (RuntimeException e) {
                f.foreign++;
                continue;
            }
            String key = identity(event);
            if (key == null || !truth.events.containsKey(key)) {
                f.foreign++;
                continue;
            }
            String eventId = event.get(0).toString();
            byte[] before = byEventId.putIfAbsent(eventId, record.value());
            if (before != null && !Arrays.equals(before, record.value()) && reportedDuplicates.add(eventId)) {
                f.duplicated.add("event " + eventId + " is on " + Topics.STATION_EVENTS.name() + " twice with different content");
            }
            idsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(eventId);
        }
        for (String key : truth.events.keySet()) {
            Set<String> ids = idsByKey.get(key);
            if (ids == null) {
                f.lost.add("event " + key + " never reached " + Topics.STATION_EVENTS.name());
            } else if (ids.size() > 1) {
                f.duplicated.add("event " + key + " is on " + Topics.STATION_EVENTS.name() + " under " + ids.size() + " event ids " + ids);
            }
        }
        return (int) truth.events.keySet().stream().filter(idsByKey::containsKey).count();
    }

    private static String identity(SpecificRecord event) {
        if (event instanceof RunStarted e) {
            return e.getRunId() + "|START";
        } else if (event instanceof AlignmentResult e) {
            return e.getRunId() + "|RESULT|" + e.getStep();
        } else if (event instanceof RunCompleted e) {
            return e.getRunId() + "|END";
        } else if (event instanceof BurnInReading e) {
            return e.getRunId() + "|READ|" + e.getChannel() + "|" + e.getEventTime().toEpochMilli();
        }
        return null;
    }

    /** Exactly one committed verdict per run, with the outcome the domain rules give. */
    private int checkVerdicts(Findings f) {
        Map<String, List<Verdict>> byRun = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(Topics.VERDICTS.name())) {
            try {
                Verdict v = codec.decode(record.value(), Verdict.class);
                byRun.computeIfAbsent(v.getRunId(), k -> new ArrayList<>()).add(v);
            } catch (RuntimeException e) {
                f.differing.add("an undecodable record on " + Topics.VERDICTS.name() + " at offset " + record.offset());
            }
        }
        int committed = 0;
        for (Truth.Run run : truth.runs.values()) {
            List<Verdict> verdicts = byRun.getOrDefault(run.runId(), List.of());
            if (verdicts.isEmpty()) {
                f.lost.add("run " + run.runId() + " has no committed verdict");
                continue;
            }
            committed++;
            if (verdicts.size() > 1) {
                f.duplicated.add("run " + run.runId() + " has " + verdicts.size() + " committed verdicts");
            }
            String outcome = verdicts.get(0).getOutcome().name();
            if (!outcome.equals(run.outcome().name())) {
                f.differing.add("run " + run.runId() + " was judged " + outcome + " (" + verdicts.get(0).getReason() + "), the rules say "
                        + run.outcome());
            }
        }
        return committed;
    }

    /** Every run, verdict and measurement in PostgreSQL, once. */
    private int checkDatabase(Findings f) {
        Map<String, String> verdicts = new HashMap<>();
        Set<String> runs = new HashSet<>();
        Map<String, Integer> alignmentValues = new HashMap<>();
        Map<String, Integer> burnInReadings = new HashMap<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT run_id, outcome FROM verdicts")) {
                while (rs.next()) {
                    verdicts.put(rs.getString(1), rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT run_id FROM runs")) {
                while (rs.next()) {
                    runs.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT run_id, count(*) FROM alignment_values GROUP BY run_id")) {
                while (rs.next()) {
                    alignmentValues.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT run_id, sum(readings) FROM burnin_channel_summaries GROUP BY run_id")) {
                while (rs.next()) {
                    burnInReadings.put(rs.getString(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read PostgreSQL: " + e.getMessage(), e);
        }
        int stored = 0;
        for (Truth.Run run : truth.runs.values()) {
            String outcome = verdicts.get(run.runId());
            if (outcome == null) {
                f.lost.add("run " + run.runId() + " has no verdict in PostgreSQL");
            } else {
                stored++;
                if (!outcome.equals(run.outcome().name())) {
                    f.differing.add("run " + run.runId() + " is stored " + outcome + ", the rules say " + run.outcome());
                }
            }
            if (!runs.contains(run.runId())) {
                f.lost.add("run " + run.runId() + " is not in the runs table");
            }
            int storedMeasurements = switch (run.operation()) {
                case ALIGN -> alignmentValues.getOrDefault(run.runId(), 0);
                case BURNIN -> burnInReadings.getOrDefault(run.runId(), 0);
            };
            int expected = run.measurements();
            if (storedMeasurements < expected) {
                f.lost.add("run " + run.runId() + ": " + storedMeasurements + " of " + expected + " measurements in PostgreSQL");
            } else if (storedMeasurements > expected) {
                f.duplicated.add("run " + run.runId() + ": " + storedMeasurements + " measurements in PostgreSQL, " + expected + " written");
            }
        }
        return stored;
    }

    /** Yield per lot and coupling-loss statistics per station, from the analytics app and from REST, against the truth. */
    private void checkFigures(Findings f) {
        Map<String, JsonNode> analyticsLots = new TreeMap<>();
        for (JsonNode row : getJson(analyticsUrl + "/yield?dimension=LOT")) {
            analyticsLots.put(row.get("operation").asText() + "|" + row.get("group").asText(), row);
        }
        for (Map.Entry<String, YieldFigures> e : truth.lotYield.entrySet()) {
            String[] key = e.getKey().split("\\|");
            compareYield(f, "analytics yield " + e.getKey(), e.getValue(), analyticsLots.get(e.getKey()));
            JsonNode rest = getJson(service, "/api/yield?groupBy=lot&operation=" + key[0] + "&lot=" + encode(key[1]));
            JsonNode group = null;
            for (JsonNode g : rest.get("groups")) {
                // a lot group is keyed product/lot
                if (g.get("key").asText().endsWith("/" + key[1])) {
                    group = g;
                }
            }
            compareYield(f, "REST yield " + e.getKey(), e.getValue(), group);
        }
        Map<String, JsonNode> analyticsStats = new TreeMap<>();
        for (JsonNode row : getJson(analyticsUrl + "/statistics?scope=PRODUCT_STATION")) {
            analyticsStats.put(row.get("station").asText() + "|" + row.get("channel").asInt(), row);
        }
        Map<String, JsonNode> restStats = new TreeMap<>();
        for (String station : truth.stationStats.keySet().stream().map(k -> k.split("\\|")[0]).distinct().toList()) {
            for (JsonNode row : getJson(service, "/api/coupling-loss?step=POST_THERMAL&station=" + encode(station))) {
                restStats.put(station + "|" + row.get("channel").asInt(), row);
            }
        }
        truth.stationStats.forEach((key, expected) -> {
            compareStats(f, "analytics coupling loss " + key, expected, analyticsStats.get(key), "n", "meanDb", "minDb", "maxDb");
            compareStats(f, "REST coupling loss " + key, expected, restStats.get(key), "n", "meanDb", "minDb", "maxDb");
        });
    }

    private static void compareYield(Findings f, String what, YieldFigures expected, JsonNode actual) {
        if (actual == null) {
            f.differing.add(what + " is missing (expected " + expected.units() + " units)");
            return;
        }
        int[] want = {expected.units(), expected.firstPassUnits(), expected.finalPassUnits(), expected.runs(), expected.passedRuns()};
        String[] names = {"units", "firstPassUnits", "finalPassUnits", "runs", "passedRuns"};
        for (int i = 0; i < names.length; i++) {
            int got = actual.get(names[i]).asInt();
            if (got != want[i]) {
                f.differing.add(what + ": " + names[i] + " " + got + ", fault-free " + want[i]);
            }
        }
    }

    private static void compareStats(Findings f, String what, Truth.ChannelStats expected, JsonNode actual, String n, String mean, String min,
            String max) {
        if (actual == null) {
            f.differing.add(what + " is missing (expected n " + expected.n() + ")");
            return;
        }
        if (actual.get(n).asLong() != expected.n()) {
            f.differing.add(what + ": n " + actual.get(n).asLong() + ", fault-free " + expected.n());
        }
        double[][] pairs = {{actual.get(mean).asDouble(), expected.meanDb()}, {actual.get(min).asDouble(), expected.minDb()},
                {actual.get(max).asDouble(), expected.maxDb()}};
        String[] names = {mean, min, max};
        for (int i = 0; i < pairs.length; i++) {
            if (Math.abs(pairs[i][0] - pairs[i][1]) > 1e-9) {
                f.differing.add(what + ": " + names[i] + " " + pairs[i][0] + ", fault-free " + pairs[i][1]);
            }
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode getJson(String url) {
        return getJson(null, url);
    }

    /** GET with the session (null: none, for the analytics app's queries), the answer as JSON; not 200 fails. */
    private static JsonNode getJson(com.cpo.launcher.ServiceSession session, String url) {
        try {
            HttpRequest.Builder request = session != null ? session.request(url) : HttpRequest.newBuilder(URI.create(url));
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every committed record of a topic, from the beginning to its end now. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return readAll(bootstrapServers, kafkaLogin, topic);
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        return readAll(bootstrapServers, new Properties(), topic);
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, Properties login, String topic) {
        Properties props = new Properties();
        props.putAll(login);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 3 minutes");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
