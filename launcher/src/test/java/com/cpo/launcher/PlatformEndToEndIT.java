package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.simulator.SimulatedRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The foundation's promise, end to end on the real broker and database with every component as it runs
 * in production: simulated testers write N units' result files, the station agent publishes them, the
 * analytics application judges them, the service stores the verdicts in PostgreSQL and serves them and
 * the yield workbook — and all of it agrees with what the simulator knows it made.
 */
class PlatformEndToEndIT {

    private static final int UNITS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "e2e-");
        platform = LocalPlatform.start(new LocalPlatform.Options(ProjectRoot.find(), work, 0, 20261124L, 1, 0, UNITS,
                Instant.parse("2026-11-24T06:00:00Z"), 0, 1));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    private static JsonNode getUnit(String serial) throws Exception {
        HttpResponse<String> response = HTTP.send(platform.session().request("/api/units/" + serial).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    @Test
    void everySimulatedRunGetsTheVerdictTheSimulatorExpectsAndTheWorkbookAgrees() throws Exception {
        // given the simulated line has written all its runs
        await().atMost(Duration.ofSeconds(60)).until(platform::simulatorsDone);
        List<SimulatedRun> runs = platform.written();
        Map<String, List<SimulatedRun>> bySerial = runs.stream().collect(Collectors.groupingBy(SimulatedRun::serial, TreeMap::new, Collectors.toList()));
        assertThat(bySerial).hasSize(UNITS);
        assertThat(runs.size()).isGreaterThan(UNITS); // some units were reworked and retested
        assertThat(runs.stream().anyMatch(r -> !r.channelsAbove(LocalPlatform.COUPLING_LOSS_USL_DB).isEmpty())).isTrue();

        // when every run's verdict has reached PostgreSQL and the API
        Map<String, JsonNode> units = new HashMap<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (var entry : bySerial.entrySet()) {
                if (!units.containsKey(entry.getKey())) {
                    JsonNode unit = getUnit(entry.getKey());
                    if (unit == null || unit.get("runs").size() < entry.getValue().size()) {
                        return false;
                    }
                    units.put(entry.getKey(), unit);
                }
            }
            return true;
        });

        // then each run's outcome and failed channels are those the simulator made
        for (var entry : bySerial.entrySet()) {
            JsonNode unit = units.get(entry.getKey());
            assertThat(unit.get("runs")).hasSize(entry.getValue().size());
            assertThat(unit.get("lot").asText()).isEqualTo(entry.getValue().get(0).lot());
            for (SimulatedRun run : entry.getValue()) {
                JsonNode served = null;
                for (JsonNode r : unit.get("runs")) {
                    if (r.get("attempt").asInt() == run.attempt()) {
                        served = r;
                    }
                }
                assertThat(served).as("run %s attempt %d", run.serial(), run.attempt()).isNotNull();
                Set<Integer> expectedChannels = run.channelsAbove(LocalPlatform.COUPLING_LOSS_USL_DB);
                assertThat(served.get("outcome").asText()).as(run.serial()).isEqualTo(expectedChannels.isEmpty() ? "PASS" : "FAIL");
                Set<Integer> servedChannels = new TreeSet<>();
                served.get("failedChecks").forEach(c -> {
                    servedChannels.add(c.get("channel").asInt());
                    assertThat(c.get("value").asDouble()).isGreaterThan(LocalPlatform.COUPLING_LOSS_USL_DB);
                    assertThat(c.get("upperLimit").asDouble()).isEqualTo(LocalPlatform.COUPLING_LOSS_USL_DB);
                });
                assertThat(servedChannels).as(run.serial()).isEqualTo(expectedChannels);
            }
        }

        // and the workbook's yield per lot is what the simulator's truth gives
        HttpResponse<byte[]> xlsx = HTTP.send(platform.session().request("/api/reports/yield.xlsx").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(xlsx.statusCode()).isEqualTo(200);
        assertThat(xlsx.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("spreadsheetml"));
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            Sheet byLot = workbook.getSheet("Yield by lot");
            assertThat(byLot).isNotNull();
            Map<String, Integer> col = columns(byLot.getRow(0));
            Map<String, int[]> expected = expectedPerLot(bySerial);
            Map<String, int[]> actual = new TreeMap<>();
            for (int i = 1; i <= byLot.getLastRowNum(); i++) {
                Row row = byLot.getRow(i);
                actual.put(row.getCell(col.get("Lot")).getStringCellValue(), new int[] {
                        (int) row.getCell(col.get("Units")).getNumericCellValue(),
                        (int) row.getCell(col.get("First-pass units")).getNumericCellValue(),
                        (int) row.getCell(col.get("Final-pass units")).getNumericCellValue()});
                double unitCount = row.getCell(col.get("Units")).getNumericCellValue();
                assertThat(row.getCell(col.get("FPY (%)")).getNumericCellValue())
                        .isCloseTo(row.getCell(col.get("First-pass units")).getNumericCellValue() / unitCount, org.assertj.core.data.Offset.offset(1e-9));
            }
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            expected.forEach((lot, figures) -> assertThat(actual.get(lot)).as(lot).containsExactly(figures));

            Sheet failing = workbook.getSheet("Failing units");
            assertThat(failing).isNotNull();
            Map<String, Integer> fcol = columns(failing.getRow(0));
            Set<String> failedRowsServed = new TreeSet<>();
            for (int i = 1; i <= failing.getLastRowNum(); i++) {
                Row row = failing.getRow(i);
                failedRowsServed.add(row.getCell(fcol.get("Serial")).getStringCellValue() + "#"
                        + (int) row.getCell(fcol.get("Channel")).getNumericCellValue());
            }
            Set<String> failedRowsExpected = new TreeSet<>();
            runs.forEach(r -> r.channelsAbove(LocalPlatform.COUPLING_LOSS_USL_DB).forEach(ch -> failedRowsExpected.add(r.serial() + "#" + ch)));
            assertThat(failedRowsServed).isEqualTo(failedRowsExpected);
        }
        // and the analytics application's live figures agree with the truth too: yield per lot ...
        Map<String, int[]> expectedYield = expectedPerLot(bySerial);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode lots = getJson(platform.analyticsUrl() + "/yield?dimension=LOT");
            Map<String, int[]> live = new TreeMap<>();
            lots.forEach(l -> live.put(l.get("group").asText(),
                    new int[] {l.get("units").asInt(), l.get("firstPassUnits").asInt(), l.get("finalPassUnits").asInt()}));
            assertThat(live.keySet()).isEqualTo(expectedYield.keySet());
            expectedYield.forEach((lot, figures) -> assertThat(live.get(lot)).as(lot).containsExactly(figures));
        });
        // ... and the coupling-loss statistics of every channel at the station (final, post-thermal values of every run)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode stats = getJson(platform.analyticsUrl() + "/statistics?scope=PRODUCT_STATION&station=AA-01");
            assertThat(stats).hasSize(16);
            for (JsonNode s : stats) {
                int channel = s.get("channel").asInt();
                double[] values = runs.stream().mapToDouble(r -> r.valueAt(com.cpo.events.AlignmentStep.POST_THERMAL, channel)).toArray();
                double mean = java.util.Arrays.stream(values).sum() / values.length;
                double variance = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1);
                assertThat(s.get("n").asLong()).isEqualTo(values.length);
                assertThat(s.get("meanDb").asDouble()).isCloseTo(mean, org.assertj.core.data.Offset.offset(mean * 1e-9));
                assertThat(s.get("stdDevDb").asDouble()).isCloseTo(Math.sqrt(variance),
                        org.assertj.core.data.Offset.offset(Math.sqrt(variance) * 1e-9));
                assertThat(s.get("maxDb").asDouble()).isEqualTo(java.util.Arrays.stream(values).max().orElseThrow());
            }
        });
        System.out.println("Platform processes: " + String.join(" | ", platform.processReport()));
    }

    /**
     * The Grafana dashboard in docker/ charts only what the components really expose: every metric name its
     * panels read is in the Prometheus scrape of the service, the analytics application or the agent.
     */
    @Test
    void everyMetricTheGrafanaDashboardChartsIsExposedByAComponent() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read(ProjectRoot.find().resolve("docker/grafana/dashboards/cpo-line.json"));
        // task metrics and a consumer's lag appear once the components have worked a little, the HTTP
        // server's once the API has answered
        getJson(platform.serviceUrl() + "/api/lots");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> endpoints = new ArrayList<>(List.of(platform.serviceUrl() + "/q/metrics", platform.analyticsUrl() + "/metrics"));
            platform.agentStatusUrls().values().forEach(url -> endpoints.add(url + "metrics"));
            assertThat(endpoints).as("the agent's status URL").hasSizeGreaterThanOrEqualTo(3);
            Set<String> exposed = new TreeSet<>();
            for (String endpoint : endpoints) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(endpoint).isEqualTo(200);
                response.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                        .map(l -> l.split("[{ ]", 2)[0]).forEach(exposed::add);
            }
            assertThat(exposed).containsAll(dashboard.metricNames());
        });
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(platform.session().request(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** lot -> {units, units whose first run passed, units whose latest run passed}, computed from the truth. */
    private static Map<String, int[]> expectedPerLot(Map<String, List<SimulatedRun>> bySerial) {
        Map<String, int[]> perLot = new TreeMap<>();
        for (List<SimulatedRun> unitRuns : bySerial.values()) {
            List<SimulatedRun> ordered = new ArrayList<>(unitRuns);
            ordered.sort(Comparator.comparingInt(SimulatedRun::attempt));
            int[] figures = perLot.computeIfAbsent(ordered.get(0).lot(), l -> new int[3]);
            figures[0]++;
            if (ordered.get(0).channelsAbove(LocalPlatform.COUPLING_LOSS_USL_DB).isEmpty()) {
                figures[1]++;
            }
            if (ordered.get(ordered.size() - 1).channelsAbove(LocalPlatform.COUPLING_LOSS_USL_DB).isEmpty()) {
                figures[2]++;
            }
        }
        return perLot;
    }

    private static Map<String, Integer> columns(Row header) {
        Map<String, Integer> columns = new HashMap<>();
        header.forEach(cell -> columns.put(cell.getStringCellValue(), cell.getColumnIndex()));
        return columns;
    }

    @Test
    void everyComponentAuthenticatesToKafkaAndNoSecretIsInALogOrAProcessList() throws Exception {
        // the line above ran on a broker that refuses anonymous clients (KafkaSecurityIT): so every component logged in
        Map<String, Path> configs = platform.kafkaClientConfigs();
        assertThat(configs).containsKeys(com.cpo.schemas.KafkaAccess.ANALYTICS, com.cpo.schemas.KafkaAccess.SERVICE,
                com.cpo.schemas.KafkaAccess.station("AA-01"));
        List<String> secrets = new java.util.ArrayList<>();
        for (Path file : configs.values()) {
            assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            Properties props = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                props.load(in);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("password=\"([^\"]+)\"").matcher(props.getProperty("sasl.jaas.config"));
            assertThat(m.find()).as("a password in %s", file).isTrue();
            secrets.add(m.group(1));
        }
        await().atMost(Duration.ofSeconds(60)).until(platform::simulatorsDone);
        try (var logs = Files.list(platform.workDir().resolve("logs"))) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log);
                assertThat(text).as("log %s", log).isNotEmpty();
                secrets.forEach(secret -> assertThat(text).as("log %s", log).doesNotContain(secret));
            }
        }
        List<String> commandLines = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")).toList();
        assertThat(commandLines).anyMatch(c -> c.contains("com.cpo.agent.StationAgentMain")); // the children are visible to us
        for (String line : commandLines) {
            secrets.forEach(secret -> assertThat(line).doesNotContain(secret));
        }
    }
}
