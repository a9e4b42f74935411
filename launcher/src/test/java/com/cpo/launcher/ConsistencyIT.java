package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One number per label: on a simulated line with retests at a rework station, aborted (INCOMPLETE) runs, two products,
 * a burn-in rack, several shifts and a plant zone eight hours from UTC, every figure the dashboard feed (from the
 * analytics app) and REST (from PostgreSQL) both show under the same label is equal: yield per lot, per station (its
 * own runs) and per first station, per shift and plant day, RTY per lot, and coupling-loss n, mean, σ, min, max, limits
 * and Cpk per product, station and channel and per lot. Percentiles are the exception, labelled so: the stream's are a
 * sketch's (approximate), REST's exact.
 */
class ConsistencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ZONE = "Asia/Singapore";
    private static LocalPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "consistency-");
        Instant start = Instant.parse("2026-11-24T00:00:00Z"); // 08:00 in Singapore: shifts A, B and C follow
        LocalPlatform.Line line = new LocalPlatform.Line(ZONE, Map.of("AA-02", "CPO-OE8=8"), "RW-01", 0.05, Duration.ofMinutes(9));
        platform = LocalPlatform.start(new LocalPlatform.Options(ProjectRoot.find(), work, 0, 20261130L, 2, 0, 50, start, 1, 720)
                .with(LocalPlatform.Tuning.DEFAULTS.withRack(start, 8, 8, 8, Duration.ofMinutes(10), Duration.ofHours(12)).withLine(line)));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyFigureBothTheDashboardAndRestShowIsEqual() throws Exception {
        // given the whole line judged and stored
        await().atMost(Duration.ofMinutes(4)).until(platform::simulatorsDone);
        int expected = platform.written().size() + 8;
        await().atMost(Duration.ofMinutes(4)).until(() -> verdictsStored() == expected);
        assertThat(platform.written()).anyMatch(r -> r.station().equals("RW-01")).anyMatch(r -> r.aborted())
                .anyMatch(r -> r.product().equals("CPO-OE8"));

        // when both sides are compared (the stream's figures settle within a second or two of the last verdict)
        List<String> differences = new ArrayList<>();
        int[] compared = new int[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            differences.clear();
            compared[0] = compare(differences);
            return differences.isEmpty();
        });

        // then nothing differs, and enough was compared to mean something
        assertThat(differences).as("figures that differ").isEmpty();
        assertThat(compared[0]).isGreaterThan(400);
    }

    /** Compares every shared figure; returns how many were compared. */
    private static int compare(List<String> differences) throws Exception {
        int compared = 0;
        JsonNode snapshot = get(platform.serviceUrl() + "/api/live/snapshot");
        // yield per lot, station (its own runs) and first station
        Map<String, JsonNode> stream = new TreeMap<>();
        for (JsonNode y : snapshot.get("yield")) {
            stream.put(y.get("dimension").asText() + "|" + y.get("product").asText() + "|" + y.get("operation").asText() + "|"
                    + y.get("group").asText(), y);
        }
        for (String product : List.of("CPO-OE16", "CPO-OE8")) {
            for (String operation : List.of("ALIGN", "BURNIN")) {
                for (String[] by : List.of(new String[] {"LOT", "lot"}, new String[] {"STATION", "station"},
                        new String[] {"FIRST_STATION", "first-station"})) {
                    JsonNode rest = get(platform.serviceUrl() + "/api/yield?operation=" + operation + "&product=" + product + "&groupBy=" + by[1]);
                    for (JsonNode group : rest.get("groups")) {
                        String key = group.get("key").asText();
                        String name = by[0].equals("LOT") ? key.substring(key.indexOf('/') + 1) : key;
                        JsonNode s = stream.get(by[0] + "|" + product + "|" + operation + "|" + name);
                        compared += yieldDiffers(differences, "yield " + by[1] + " " + product + " " + operation + " " + name, s, group);
                    }
                }
                // shifts and plant days, from the analytics app's queries (the feed keeps lots and stations only)
                for (String[] by : List.of(new String[] {"SHIFT", "shift"}, new String[] {"DAY", "day"})) {
                    Map<String, JsonNode> analytics = new TreeMap<>();
                    for (JsonNode y : get(platform.analyticsUrl() + "/yield?dimension=" + by[0] + "&product=" + product)) {
                        if (y.get("operation").asText().equals(operation)) {
                            analytics.put(y.get("group").asText(), y);
                        }
                    }
                    JsonNode rest = get(platform.serviceUrl() + "/api/yield?operation=" + operation + "&product=" + product + "&groupBy=" + by[1]);
                    for (JsonNode group : rest.get("groups")) {
                        compared += yieldDiffers(differences, "yield " + by[1] + " " + product + " " + operation + " " + group.get("key").asText(),
                                analytics.get(group.get("key").asText()), group);
                    }
                    if (rest.get("groups").size() != analytics.size()) {
                        differences.add(by[1] + " groups of " + product + " " + operation + ": REST " + rest.get("groups").size() + ", stream "
                                + analytics.size() + " " + analytics.keySet());
                    }
                }
            }
            // RTY per lot
            for (JsonNode rty : snapshot.get("rty")) {
                if (rty.get("product").asText().equals(product)) {
                    JsonNode rest = get(platform.serviceUrl() + "/api/yield?product=" + product + "&lot=" + encode(rty.get("lot").asText()));
                    compared += numberDiffers(differences, "RTY " + product + " " + rty.get("lot").asText(), rty.get("rty"), rest.get("rty"));
                }
            }
        }
        // coupling loss per product, station and channel, and per lot
        for (JsonNode s : snapshot.get("statistics")) {
            if (!s.get("scope").asText().equals("PRODUCT_STATION")) {
                continue;
            }
            compared += statisticsDiffer(differences, s, "&station=" + s.get("station").asText());
        }
        for (JsonNode rty : snapshot.get("rty")) {
            JsonNode lotSnapshot = get(platform.serviceUrl() + "/api/live/snapshot?product=" + rty.get("product").asText() + "&lot="
                    + encode(rty.get("lot").asText()));
            for (JsonNode s : lotSnapshot.get("statistics")) {
                if (s.get("scope").asText().equals("PRODUCT_LOT")) {
                    compared += statisticsDiffer(differences, s, "&lot=" + encode(s.get("lot").asText()));
                }
            }
        }
        return compared;
    }

    private static int yieldDiffers(List<String> differences, String what, JsonNode stream, JsonNode rest) {
        if (stream == null) {
            differences.add(what + ": in REST, not in the stream");
            return 1;
        }
        int n = 0;
        for (String[] field : List.of(new String[] {"units", "units"}, new String[] {"firstPassUnits", "firstPassUnits"},
                new String[] {"finalPassUnits", "finalPassUnits"}, new String[] {"runs", "runs"}, new String[] {"passedRuns", "passedRuns"})) {
            n++;
            if (stream.get(field[0]).asInt() != rest.get(field[1]).asInt()) {
                differences.add(what + ": " + field[0] + " stream " + stream.get(field[0]).asInt() + ", REST " + rest.get(field[1]).asInt());
            }
        }
        String fpy = stream.has("fpy") ? "fpy" : "firstPassYield";
        n += numberDiffers(differences, what + " FPY", stream.get(fpy), rest.get("fpy"));
        return n;
    }

    private static int statisticsDiffer(List<String> differences, JsonNode s, String scope) throws Exception {
        String what = "coupling loss " + s.get("key").asText();
        JsonNode rows = get(platform.serviceUrl() + "/api/coupling-loss?step=POST_THERMAL&product=" + s.get("product").asText() + scope);
        JsonNode rest = null;
        for (JsonNode r : rows) {
            if (r.get("channel").asInt() == s.get("channel").asInt()) {
                rest = r;
            }
        }
        if (rest == null) {
            differences.add(what + ": in the stream, not in REST");
            return 1;
        }
        if (s.get("n").asLong() != rest.get("n").asLong()) {
            differences.add(what + ": n stream " + s.get("n").asLong() + ", REST " + rest.get("n").asLong());
        }
        int n = 1;
        for (String[] field : List.of(new String[] {"meanDb", "meanDb"}, new String[] {"stdDevDb", "sigmaDb"}, new String[] {"minDb", "minDb"},
                new String[] {"maxDb", "maxDb"}, new String[] {"upperLimitDb", "upperLimitDb"}, new String[] {"lowerLimitDb", "lowerLimitDb"},
                new String[] {"cpk", "cpk"})) {
            n += numberDiffers(differences, what + " " + field[0], s.get(field[0]), rest.get(field[1]));
        }
        if (!s.get("percentiles").asText().contains("approximate") || !rest.get("percentiles").asText().contains("exact")) {
            differences.add(what + ": percentiles not labelled (stream '" + s.get("percentiles").asText() + "', REST '"
                    + rest.get("percentiles").asText() + "')");
        }
        return n;
    }

    /** Equal to nine significant digits (the sides sum in different orders), or both absent. */
    private static int numberDiffers(List<String> differences, String what, JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) {
            if (aNull != bNull) {
                differences.add(what + ": stream " + a + ", REST " + b);
            }
            return 1;
        }
        double x = a.asDouble();
        double y = b.asDouble();
        if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x))) {
            differences.add(what + ": stream " + x + ", REST " + y);
        }
        return 1;
    }

    private static int verdictsStored() throws Exception {
        try (Connection c = platform.postgres().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM verdicts")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(platform.session().request(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
