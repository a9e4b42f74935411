package com.cpo.analytics.query;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.Names;
import com.cpo.analytics.state.RunState;
import com.cpo.analytics.state.StateBytes;
import com.cpo.analytics.statistics.ScopeStatistics;
import com.cpo.analytics.statistics.StatisticsTopology;
import com.cpo.analytics.yield.YieldAggregate;
import com.cpo.analytics.yield.YieldTopology;
import com.cpo.domain.BurnInChannel;
import com.cpo.domain.PlantCalendar;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.YieldDimension;
import com.cpo.events.YieldFigures;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Interactive queries over the application's stores, as JSON on 127.0.0.1:
 * <ul>
 * <li>{@code GET /yield?dimension=LOT|STATION|SHIFT|HOUR|DAY[&product=][&group=]} — current yield figures;</li>
 * <li>{@code GET /statistics?scope=PRODUCT_STATION|PRODUCT_LOT|STATION_HOUR[&product=][&station=][&lot=][&channel=]} —
 *     current coupling-loss statistics;</li>
 * <li>{@code GET /burnin} — every channel of every unit still in a burn-in rack: drift, slope, time to limit;</li>
 * <li>with several instances ({@code cpo.analytics.query-advertised} set), each answer above holds every key: the instance
 *     asks the others that own parts of the store ({@code local=true}) and merges their rows;</li>
 * <li>{@code GET /health} — liveness: the Kafka Streams state (503 unless RUNNING or REBALANCING);</li>
 * <li>{@code GET /ready} — readiness: 200 only while RUNNING (not restoring state or rebalancing);</li>
 * <li>{@code GET /metrics} — Prometheus metrics: every Kafka Streams metric (throughput, lag, commit latency,
 *     {@code late-station-events-total}, {@code verdicts-total}, {@code verdict-latency-avg-ms}/{@code -max-ms}) and the JVM's.</li>
 * </ul>
 * While the application is rebalancing, stores are briefly unavailable: the answer is then 503 with
 * {@code Retry-After}, never a wait in a loop.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private final com.sun.net.httpserver.HttpServer server;
    private final KafkaStreams streams;
    private final PlantCalendar calendar;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics streamsMetrics;
    /** Looks for metrics that appeared since (a task's sensors are made when the task is assigned). */
    private final java.util.concurrent.ScheduledExecutorService metricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metrics-refresh");
        t.setDaemon(true);
        return t;
    });

    /** Asks the other instances of the application; null: it runs alone. */
    private final QueryRouting routing;

    private QueryServer(com.sun.net.httpserver.HttpServer server, KafkaStreams streams, PlantCalendar calendar, HostInfo self) {
        this.server = server;
        this.routing = self == null ? null : new QueryRouting(streams, self, json);
        this.streams = streams;
        this.calendar = calendar;
        this.streamsMetrics = new KafkaStreamsMetrics(streams, java.util.List.of(), metricsRefresh, java.time.Duration.ofSeconds(5));
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * Starts the endpoint.
     *
     * @param advertised this instance's {@code host:port} as the other instances reach it ({@code application.server}), or
     *        null when it runs alone; given, every answer holds every key: the rows of the stores this instance owns, and
     *        those of each other instance that owns a part of the store, asked with {@code local=true}
     */
    public static QueryServer start(KafkaStreams streams, String host, int port, PlantCalendar calendar, String advertised) throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(host), port), 16);
        QueryServer query = new QueryServer(server, streams, calendar, advertised == null || advertised.isBlank() ? null : HostInfo.buildFromEndpoint(advertised));
        server.createContext("/yield", ex -> query.answer(ex, () -> query.everywhere(ex, Names.YIELD_STORE, () -> query.yield(params(ex)))));
        server.createContext("/statistics", ex -> query.answer(ex, () -> query.everywhere(ex,
                params(ex).getOrDefault("scope", "").equalsIgnoreCase("STATION_HOUR") ? Names.HOURLY_STATS_STORE : Names.STATS_STORE,
                () -> query.statistics(params(ex)))));
        server.createContext("/burnin", ex -> query.answer(ex, () -> query.everywhere(ex, Names.RUN_STORE, query::burnIn)));
        server.createContext("/health", ex -> query.answer(ex, query::health));
        server.createContext("/ready", ex -> query.answer(ex, query::ready));
        server.createContext("/metrics", query::metrics);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        LOG.info("interactive queries on http://{}:{}/yield, /statistics, /burnin", host, server.getAddress().getPort());
        return query;
    }

    private List<Map<String, Object>> everywhere(com.sun.net.httpserver.HttpExchange exchange, String store, QueryRouting.Rows local) throws Exception {
        return routing == null || "true".equals(params(exchange).get("local")) ? local.get()
                : routing.everywhere(store, exchange.getRequestURI(), local);
    }

    private Map<String, Object> health() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new InvalidStateStoreException("Kafka Streams is " + state);
        }
        return Map.of("status", "UP", "state", state.toString());
    }

    /** Ready to answer queries and keep up: RUNNING, not restoring or rebalancing. */
    private Map<String, Object> ready() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new InvalidStateStoreException("Kafka Streams is " + state + ", not RUNNING");
        }
        return Map.of("status", "UP", "state", state.toString());
    }

    private void metrics(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        byte[] bytes = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Body {
        Object get() throws Exception;
    }

    private void answer(com.sun.net.httpserver.HttpExchange exchange, Body body) throws IOException {
        int status;
        Object result;
        try {
            result = body.get();
            status = 200;
        } catch (InvalidStateStoreException e) {
            status = 503;
            exchange.getResponseHeaders().add("Retry-After", "1");
            result = problem(503, "Stores not available", "the application is (re)balancing: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            status = 400;
            result = problem(400, "Bad request", e.getMessage());
        } catch (Exception e) {
            status = 500;
            result = problem(500, "Query failed", e.toString());
        }
        byte[] bytes = json.writeValueAsBytes(result);
        exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, Object> problem(int status, String title, String detail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        return p;
    }

    private static Map<String, String> params(com.sun.net.httpserver.HttpExchange exchange) {
        Map<String, String> params = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    /** The scopes of one kind with their statistics, keyed scope|product|station or lot[|hour]. */
    private KeyValueIterator<String, ScopeStatistics> scopeIterator(String scope) {
        if (!scope.equals(com.cpo.events.StatisticsScope.STATION_HOUR.name())) {
            ReadOnlyKeyValueStore<String, ScopeStatistics> store = store(Names.STATS_STORE);
            return store.prefixScan(scope + "|", new org.apache.kafka.common.serialization.StringSerializer());
        }
        org.apache.kafka.streams.state.ReadOnlyWindowStore<String, ScopeStatistics> hours = streams.store(StoreQueryParameters.fromNameAndType(
                Names.HOURLY_STATS_STORE, QueryableStoreTypes.<String, ScopeStatistics>windowStore()));
        KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, ScopeStatistics> windows = hours.all();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return windows.hasNext();
            }

            @Override
            public KeyValue<String, ScopeStatistics> next() {
                var kv = windows.next();
                return KeyValue.pair(kv.key.key() + "|" + java.time.Instant.ofEpochMilli(kv.key.window().start()), kv.value);
            }

            @Override
            public String peekNextKey() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                windows.close();
            }
        };
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    List<Map<String, Object>> yield(Map<String, String> params) {
        YieldDimension dimension;
        try {
            dimension = YieldDimension.valueOf(params.getOrDefault("dimension", "LOT").toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter 'dimension' must be one of " + List.of(YieldDimension.values()));
        }
        List<Map<String, Object>> result = new ArrayList<>();
        ReadOnlyKeyValueStore<String, YieldAggregate> store = store(Names.YIELD_STORE);
        try (KeyValueIterator<String, YieldAggregate> it = store.prefixScan(dimension + "|",
                new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, YieldAggregate> kv = it.next();
                YieldFigures y = YieldTopology.toYieldFigures(kv.key, kv.value, calendar);
                if (y.getUnits() == 0 || !matches(params, "product", y.getProduct()) || !matches(params, "group", y.getGroup())) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("key", y.getKey());
                row.put("dimension", y.getDimension().name());
                row.put("product", y.getProduct());
                row.put("operation", y.getOperation().name());
                row.put("group", y.getGroup());
                row.put("units", y.getUnits());
                row.put("firstPassUnits", y.getFirstPassUnits());
                row.put("finalPassUnits", y.getFinalPassUnits());
                row.put("runs", y.getRuns());
                row.put("passedRuns", y.getPassedRuns());
                row.put("incompleteRuns", y.getIncompleteRuns());
                row.put("firstPassYield", y.getFirstPassYield());
                row.put("finalYield", y.getFinalYield());
                row.put("testYield", y.getTestYield());
                row.put("retestRate", y.getRetestRate());
                result.add(row);
            }
        }
        return result;
    }

    List<Map<String, Object>> statistics(Map<String, String> params) {
        String scope = params.getOrDefault("scope", "PRODUCT_STATION").toUpperCase();
        List<Map<String, Object>> result = new ArrayList<>();
        List<CouplingLossStatistics> all = new ArrayList<>();
        try (KeyValueIterator<String, ScopeStatistics> it = scopeIterator(scope)) {
            while (it.hasNext()) {
                KeyValue<String, ScopeStatistics> kv = it.next();
                // filter on the scope key (scope|product|station or lot[|hour]) before computing any figures:
                // quantiles of every lot's every channel are not worth computing for one lot's answer
                String[] parts = kv.key.split("\\|");
                boolean lotScope = parts[0].equals("PRODUCT_LOT");
                if (!matches(params, "product", parts[1]) || !matches(params, lotScope ? "lot" : "station", parts[2])
                        || (lotScope ? params.containsKey("station") : params.containsKey("lot"))) {
                    continue;
                }
                kv.value.channels.forEach((channel, agg) -> {
                    if (matches(params, "channel", Integer.toString(channel))) {
                        all.add(StatisticsTopology.toStatistics(kv.key + "|" + channel, agg));
                    }
                });
            }
        }
        for (CouplingLossStatistics s : all) {
            if (!matches(params, "product", s.getProduct()) || !matches(params, "station", s.getStation())
                    || !matches(params, "lot", s.getLot()) || !matches(params, "channel", Integer.toString(s.getChannel()))) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", s.getKey());
            row.put("scope", s.getScope().name());
            row.put("product", s.getProduct());
            row.put("station", s.getStation());
            row.put("lot", s.getLot());
            row.put("windowStart", s.getWindowStart() == null ? null : s.getWindowStart().toString());
            row.put("channel", s.getChannel());
            row.put("n", s.getN());
            row.put("meanDb", s.getMeanDb());
            row.put("stdDevDb", s.getStdDevDb());
            row.put("minDb", s.getMinDb());
            row.put("maxDb", s.getMaxDb());
            row.put("p1Db", s.getP1Db());
            row.put("p50Db", s.getP50Db());
            row.put("p90Db", s.getP90Db());
            row.put("p99Db", s.getP99Db());
            row.put("percentiles", PERCENTILES);
            row.put("upperLimitDb", s.getUpperLimitDb());
            row.put("lowerLimitDb", s.getLowerLimitDb());
            row.put("cpk", s.getCpk());
            row.put("histogramLowerEdgeDb", s.getHistogramLowerEdgeDb());
            row.put("histogramBinWidthDb", s.getHistogramBinWidthDb());
            row.put("histogramCounts", s.getHistogramCounts());
            result.add(row);
        }
        return result;
    }

    List<Map<String, Object>> burnIn() {
        List<Map<String, Object>> result = new ArrayList<>();
        ReadOnlyKeyValueStore<String, RunState> store = store(Names.RUN_STORE);
        try (KeyValueIterator<String, RunState> it = store.all()) {
            while (it.hasNext()) {
                RunState state = it.next().value;
                if (state.getJudged() || state.getBurnInChannels().isEmpty()) {
                    continue;
                }
                for (Map.Entry<String, ByteBuffer> channel : state.getBurnInChannels().entrySet()) {
                    BurnInChannel c = BurnInChannel.fromBytes(StateBytes.of(channel.getValue()));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("runId", state.getRunId());
                    row.put("channel", Integer.parseInt(channel.getKey()));
                    row.put("slot", state.getBurnInSlots().get(channel.getKey()));
                    row.put("hoursInRack", c.hoursInRack());
                    row.put("readings", c.readings());
                    row.put("baselinePowerDbm", c.baselinePowerDbm());
                    row.put("powerDriftDb", c.baselineEstablished() ? c.powerDriftDb() : null);
                    row.put("powerSlopeDbPerHour", finite(c.powerSlopeDbPerHour()));
                    row.put("biasDriftPct", c.baselineEstablished() ? c.biasDriftPct() : null);
                    row.put("biasSlopePctPerHour", finite(c.biasSlopePctPerHour()));
                    row.put("maxDropDb", c.maxDropDb());
                    result.add(row);
                }
            }
        }
        return result;
    }

    /** How p1..p99 are computed, shown with them: the stream cannot hold every value. */
    static final String PERCENTILES = "approximate: KLL sketch, rank error about 1.3 %";

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static boolean matches(Map<String, String> params, String name, String value) {
        String wanted = params.get(name);
        return wanted == null || wanted.equals(value);
    }

    @Override
    public void close() {
        server.stop(0);
        streamsMetrics.close();
        metricsRefresh.shutdownNow();
        registry.close();
    }
}
