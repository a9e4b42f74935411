package com.cpo.service.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.cpo.service.PlatformConfig;
import com.cpo.service.live.LiveHub.RackView;
import com.cpo.service.live.LiveViews.RackUnitView;
import com.cpo.service.persistence.MeasurementRepository;
import com.cpo.service.persistence.MeasurementRepository.RunUnit;
import com.cpo.service.service.LimitLine;
import com.cpo.service.service.LimitService;
import com.cpo.service.service.NotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The rack panel's source. Drift from the stabilised baseline and its slope are the analytics app's
 * computation (one place for the rule), and no topic carries them between alarms, so the service reads the
 * app's {@code /burnin} every {@code cpo.platform.dashboard.burnin-refresh} — server-side, once for every
 * browser — joins each run to its unit from the database, projects the hours to the released power-drift
 * limit, and pushes the rack to the dashboards only when it changed. Alarms themselves come from the alarm
 * topic at once (see {@link LiveFeed}).
 */
@ApplicationScoped
public class BurnInWatch {

    private static final Logger LOG = Logger.getLogger(BurnInWatch.class);
    static final String POWER_DRIFT = "power_drift";

    private final LiveHub hub;
    private final ObjectMapper json;
    private final BurnInLookup lookup;
    private final String url;
    private final Duration refresh;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ScheduledExecutorService scheduler;
    private String lastError;

    BurnInWatch(LiveHub hub, ObjectMapper json, BurnInLookup lookup, PlatformConfig config) {
        this.hub = hub;
        this.json = json;
        this.lookup = lookup;
        this.url = config.dashboard().analyticsUrl().replaceAll("/+$", "") + "/burnin";
        this.refresh = config.dashboard().burninRefresh();
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-burnin");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    void refresh() {
        JsonNode channels;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failed("the analytics app answered " + response.statusCode() + " at " + url);
                return;
            }
            channels = json.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.io.IOException e) {
            failed(e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    ? "the analytics app's answer at " + url + " is not the expected JSON: " + e.getClass().getSimpleName()
                    : "the analytics app is not reachable at " + url + ": " + e.getClass().getSimpleName());
            return;
        }
        refresh(channels);
    }

    /** Joins the analytics app's channels to their units and limits; a database failure is named as such. */
    void refresh(JsonNode channels) {
        try {
            hub.rackChanged(new RackView(Instant.now(), url, null, units(channels)));
            lastError = null;
        } catch (RuntimeException e) {
            LOG.debugf(e, "burn-in panel: looking up units and limits failed");
            failed("looking up the rack's units and power-drift limits in the database failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + firstLine(e.getMessage()) + ")"));
        }
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private void failed(String error) {
        if (!error.equals(lastError)) {
            LOG.infof("burn-in panel: %s", error);
            lastError = error;
        }
        hub.rackChanged(new RackView(Instant.now(), url, error, List.of()));
    }

    /** One row per run in the rack: its channel closest (in projected hours, else in drift) to the power-drift limit. */
    List<RackUnitView> units(JsonNode channels) {
        Map<String, List<JsonNode>> byRun = new LinkedHashMap<>();
        channels.forEach(c -> byRun.computeIfAbsent(c.path("runId").asText(), r -> new ArrayList<>()).add(c));
        Map<String, RunUnit> runs = new HashMap<>();
        lookup.unitsOfRuns(byRun.keySet()).forEach(r -> runs.put(r.runId(), r));
        Map<String, double[]> limits = new HashMap<>();
        List<RackUnitView> rows = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> run : byRun.entrySet()) {
            RunUnit unit = runs.get(run.getKey());
            double[] limit = unit == null ? null : limits.computeIfAbsent(unit.product(), lookup::powerDriftLimit);
            JsonNode worst = null;
            Double worstHours = null;
            double maxDrop = 0;
            for (JsonNode c : run.getValue()) {
                maxDrop = Math.max(maxDrop, c.path("maxDropDb").asDouble(0));
                Double hours = hoursToLimit(num(c, "powerDriftDb"), num(c, "powerSlopeDbPerHour"), limit);
                boolean closer = worst == null
                        || (hours != null && (worstHours == null || hours < worstHours))
                        || (hours == null && worstHours == null && Math.abs(num(c, "powerDriftDb", 0)) > Math.abs(num(worst, "powerDriftDb", 0)));
                if (closer) {
                    worst = c;
                    worstHours = hours;
                }
            }
            Double drift = num(worst, "powerDriftDb");
            double slope = num(worst, "powerSlopeDbPerHour", 0);
            boolean downwards = slope < 0 || (slope == 0 && drift != null && drift < 0);
            Double limitTowards = limit == null || drift == null ? null : nanToNull(downwards ? limit[0] : limit[1]);
            JsonNode slot = worst.path("slot");
            rows.add(new RackUnitView(run.getKey(), unit == null ? null : unit.serial(), unit == null ? null : unit.product(),
                    unit == null ? null : unit.lot(), unit == null ? null : unit.station(), slot.isNumber() ? slot.asInt() : null,
                    worst.path("hoursInRack").asDouble(0), run.getValue().size(), worst.path("channel").asInt(), drift,
                    num(worst, "powerSlopeDbPerHour"), limitTowards, worstHours, maxAbs(run.getValue(), "biasDriftPct"), maxDrop));
        }
        rows.sort(Comparator.comparing((RackUnitView r) -> r.hoursToLimit() == null ? Double.MAX_VALUE : r.hoursToLimit())
                .thenComparing(r -> r.slot() == null ? Integer.MAX_VALUE : r.slot()));
        return rows;
    }

    /**
     * Linear projection of the hours until the drift reaches the limit it is heading to; 0 when already beyond,
     * null when it heads to no limit (flat, or no limit on that side).
     *
     * @param limit {lower, upper} in dB, NaN for a missing side; null for no released limit
     */
    static Double hoursToLimit(Double driftDb, Double slopeDbPerHour, double[] limit) {
        if (driftDb == null || slopeDbPerHour == null || limit == null) {
            return null;
        }
        if ((!Double.isNaN(limit[1]) && driftDb >= limit[1]) || (!Double.isNaN(limit[0]) && driftDb <= limit[0])) {
            return 0.0;
        }
        if (slopeDbPerHour > 0 && !Double.isNaN(limit[1])) {
            return (limit[1] - driftDb) / slopeDbPerHour;
        }
        if (slopeDbPerHour < 0 && !Double.isNaN(limit[0])) {
            return (limit[0] - driftDb) / slopeDbPerHour;
        }
        return null;
    }

    private static Double maxAbs(List<JsonNode> channels, String field) {
        Double max = null;
        for (JsonNode c : channels) {
            Double v = num(c, field);
            if (v != null && (max == null || Math.abs(v) > Math.abs(max))) {
                max = v;
            }
        }
        return max;
    }

    private static Double num(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asDouble() : null;
    }

    private static double num(JsonNode node, String field, double otherwise) {
        Double v = num(node, field);
        return v == null ? otherwise : v;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** The database side of the rack panel, in transactions of its own. */
    @ApplicationScoped
    public static class BurnInLookup {

        private final MeasurementRepository measurements;
        private final LimitService limits;

        BurnInLookup(MeasurementRepository measurements, LimitService limits) {
            this.measurements = measurements;
            this.limits = limits;
        }

        @Transactional
        public List<RunUnit> unitsOfRuns(java.util.Collection<String> runIds) {
            return measurements.unitsOfRuns(runIds);
        }

        /** {lower, upper} of the released power-drift limit of the product's BURNIN in force now; null when none. */
        public double[] powerDriftLimit(String product) {
            try {
                for (LimitLine l : limits.inForce(product, "BURNIN", Instant.now()).limits()) {
                    if (POWER_DRIFT.equals(l.parameter()) && l.channel() == null) {
                        return new double[] {l.lowerLimit() == null ? Double.NaN : l.lowerLimit(),
                                l.upperLimit() == null ? Double.NaN : l.upperLimit()};
                    }
                }
            } catch (NotFoundException e) {
                // no released BURNIN limits for this product
            }
            return null;
        }
    }
}
