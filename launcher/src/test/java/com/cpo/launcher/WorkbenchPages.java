package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The workbench pages (unit, lot) in the browser, checked against the REST API: what an engineer does after {@code ./run}
 * — finds a failing unit with the search box, reads its failed checks and drift, opens its lot — and an accessibility
 * check of each page with axe-core (from the npm registry, {@code target/npm/axe-core}).
 */
final class WorkbenchPages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path AXE = Path.of("target", "npm", "axe-core", "axe.min.js");

    private final WebDriver browser;
    private final LocalPlatform platform;

    WorkbenchPages(WebDriver browser, LocalPlatform platform) {
        this.browser = browser;
        this.platform = platform;
    }

    /**
     * A unit of the rack whose latest burn-in failed, once one has been judged and the service has stored all its readings: the
     * verdict can come before the service has read the run's last readings, but the run's completion is on the same partition
     * after them (the serial is the key), so a completed run has every reading stored.
     */
    Map.Entry<String, JsonNode> aUnitThatFailedBurnIn(Duration atMost) {
        Map.Entry<String, JsonNode> unit = aJudgedFailure(atMost);
        JsonNode stored = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> get("/api/units/" + enc(unit.getKey()), false), u -> {
                    String completed = null;
                    for (JsonNode r : u.path("runs")) {
                        if (r.path("operation").asText().equals("BURNIN")) {
                            completed = r.path("completedAt").isNull() ? null : r.path("completedAt").asText();
                        }
                    }
                    return completed != null && !completed.isEmpty();
                });
        return Map.entry(unit.getKey(), stored);
    }

    private Map.Entry<String, JsonNode> aJudgedFailure(Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofSeconds(2)).until(() -> {
            for (var rack : platform.rackSimulators()) {
                for (var made : rack.made()) {
                    JsonNode unit = get("/api/units/" + enc(made.serial()), true);
                    if (unit != null && failedLast(unit, "BURNIN")) {
                        return Map.entry(made.serial(), unit);
                    }
                }
            }
            return null;
        }, u -> u != null);
    }

    private static boolean failedLast(JsonNode unit, String operation) {
        String last = null;
        for (JsonNode r : unit.path("runs")) {
            if (r.path("operation").asText().equals(operation)) {
                last = r.path("outcome").asText();
            }
        }
        return "FAIL".equals(last);
    }

    /** From any page: types the serial into the search box and lands on the unit's page. */
    void search(String startUrl, String text) {
        browser.get(startUrl);
        var box = new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("search-q")));
        box.sendKeys(text, Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(() -> "at " + browser.getCurrentUrl())
                .until(d -> d.getCurrentUrl().contains("unit.html?serial=" + enc(text)) && "true".equals(loaded()));
    }

    /** The unit page shows the API's verdicts, failed checks, run times in the plant's zone, and judged drifts. */
    void unitPageShowsTheApisFigures(String serial, JsonNode unit, ZoneId zone) throws Exception {
        assertThat(text("#serial")).isEqualTo(serial);
        assertThat(text("#zone")).isEqualTo("times in " + zone.getId());
        assertThat(text("#lot")).isEqualTo(unit.path("lot").asText());
        // every run, in order, with its start in the plant's zone and its outcome; its failed checks listed
        List<String> rows = texts("#runs-table tbody tr");
        List<JsonNode> runs = new ArrayList<>();
        unit.path("runs").forEach(runs::add);
        unit.path("runsInProgress").forEach(runs::add);
        assertThat(rows).hasSize(runs.size());
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        for (int i = 0; i < runs.size(); i++) {
            JsonNode r = runs.get(i);
            String row = "#runs-table tbody tr:nth-child(" + (i + 1) + ") ";
            assertThat(text(row + "td:nth-child(1)")).isEqualTo(local.format(Instant.parse(r.path("runStartTime").asText())));
            assertThat(text(row + "td:nth-child(6)")).isEqualTo(r.path("outcome").isNull() ? "in progress" : r.path("outcome").asText());
            for (JsonNode c : r.path("failedChecks")) {
                assertThat(text(row + "td:nth-child(8)")).contains(c.path("parameter").asText())
                        .contains(decimals(c.path("value").asDouble(), 3));
            }
        }
        // the burn-in table: the API's judged drifts and limits, for each channel of the latest burn-in run
        JsonNode curves = get("/api/units/" + enc(serial) + "/burn-in", false);
        JsonNode last = curves.get(curves.size() - 1);
        assertThat(text("#burnin-run")).contains(last.path("runId").asText());
        List<String> channels = texts("#burnin-table tbody tr td:nth-child(1)");
        assertThat(channels).hasSize(last.path("channels").size());
        for (JsonNode c : last.path("channels")) {
            String row = "#burnin-table tbody tr[data-channel='" + c.path("channel").asInt() + "'] ";
            assertThat(text(row + "td:nth-child(4)")).as("power drift of channel %s", c.path("channel"))
                    .isEqualTo(decimals(c.path("judgedPowerDriftDb").asDouble(), 3));
            assertThat(text(row + "td:nth-child(6)")).isEqualTo(decimals(c.path("judgedBiasDriftPct").asDouble(), 2));
        }
        // a failing channel is flagged, and the charts are drawn (ECharts' canvas)
        assertThat(browser.findElements(By.cssSelector("#burnin-table td.flag, #runs-table td.FAIL"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#chart-power canvas"))).isNotEmpty();
    }

    /** An aligned unit's page names its genealogy and draws its alignment scan, as the API gives them. */
    void alignedUnitShowsItsGenealogyAndScan(String serial) throws Exception {
        browser.get(platform.serviceUrl() + "/unit.html?serial=" + enc(serial));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "true".equals(loaded()));
        JsonNode unit = get("/api/units/" + enc(serial), false);
        JsonNode g = unit.path("genealogy");
        assertThat(g.path("picWafer").asText()).isNotBlank();
        assertThat(text("#pic")).isEqualTo(g.path("picWafer").asText() + " · " + g.path("picDie").asText());
        assertThat(text("#fiber-array")).isEqualTo(g.path("fiberArraySerial").asText());
        JsonNode scans = get("/api/units/" + enc(serial) + "/scans", false);
        assertThat(scans.size()).as("scans of " + serial).isGreaterThan(0);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("scan")).isDisplayed()
                && !d.findElements(By.cssSelector("#chart-scan canvas")).isEmpty());
        // the latest alignment run is selected: its first step and channel are drawn, with as many positions as the API has
        JsonNode shown = null;
        String latest = null;
        for (JsonNode r : unit.path("runs")) {
            if (r.path("operation").asText().equals("ALIGN")) {
                latest = r.path("runId").asText();
            }
        }
        for (JsonNode sc : scans) {
            if (shown == null && sc.path("runId").asText().equals(latest)) {
                shown = sc;
            }
        }
        assertThat(shown).as("a scan of run " + latest).isNotNull();
        assertThat(text("#scan-run")).contains(shown.path("step").asText() + ", channel " + shown.path("channel").asInt() + ": "
                + shown.path("powerDbm").size() + " positions");
    }

    /** Follows the unit's lot link: the lot page shows the API's yield, Pareto and units. */
    void lotPageShowsTheApisFigures(JsonNode unit) throws Exception {
        browser.findElement(By.cssSelector("#lot a")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("lot.html") && "true".equals(loaded()));
        String product = unit.path("product").asText();
        String lot = unit.path("lot").asText();
        assertThat(text("#lot-name")).isEqualTo(lot);
        JsonNode yield = get("/api/yield?product=" + enc(product) + "&lot=" + enc(lot), false);
        for (JsonNode o : yield.path("operations")) {
            String row = "#yield-table tbody tr[data-operation='" + o.path("key").asText() + "'] ";
            assertThat(text(row + "td.units")).isEqualTo(o.path("units").asText());
            assertThat(text(row + "td.fpy")).isEqualTo(percent(o.path("fpy")));
            assertThat(text(row + "td.final-yield")).isEqualTo(percent(o.path("finalYield")));
        }
        JsonNode failures = get("/api/lots/" + enc(product) + "/" + enc(lot) + "/failures", false);
        List<String> runsShown = texts("#pareto-table tbody tr td:nth-child(3)");
        List<String> runsApi = new ArrayList<>();
        failures.forEach(f -> runsApi.add(f.path("runs").asText()));
        assertThat(runsShown).isEqualTo(runsApi);
        HttpResponse<String> units = platform.session().get(platform.serviceUrl() + "/api/lots/" + enc(product) + "/" + enc(lot)
                + "/units?size=50");
        String total = units.headers().firstValue("X-Total-Count").orElseThrow();
        assertThat(text("#units-page")).endsWith("(" + total + ")");
        List<String> firstPage = new ArrayList<>();
        JSON.readTree(units.body()).forEach(u -> firstPage.add(u.path("serial").asText()));
        assertThat(attributes("#units-table tbody tr", "data-serial")).isEqualTo(firstPage);
        // filtered to failed units: the API's failed units, the unit among them
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("units-outcome"))).selectByValue("FAILED");
        JsonNode failed = get("/api/lots/" + enc(product) + "/" + enc(lot) + "/units?outcome=FAILED&size=50", false);
        List<String> failedSerials = new ArrayList<>();
        failed.forEach(u -> failedSerials.add(u.path("serial").asText()));
        new WebDriverWait(browser, Duration.ofSeconds(10)).withMessage(() -> "failed units shown "
                + attributes("#units-table tbody tr", "data-serial") + " vs API " + failedSerials)
                .until(d -> attributes("#units-table tbody tr", "data-serial").equals(failedSerials));
    }

    /** axe-core finds no serious or critical violation of WCAG 2 A/AA on the page as it is now; returns what it found. */
    List<String> noSeriousAccessibilityViolation() throws Exception {
        assertThat(AXE).as("axe-core from the npm registry (the launcher's build downloads it)").exists();
        ((JavascriptExecutor) browser).executeScript(Files.readString(AXE));
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
                  .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))))
                  .catch(e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e) }])));""");
        JsonNode violations = JSON.readTree(String.valueOf(result));
        List<String> all = new ArrayList<>();
        List<String> serious = new ArrayList<>();
        for (JsonNode v : violations) {
            String line = v.path("impact").asText() + " " + v.path("id").asText() + ": " + v.path("help").asText() + " " + v.path("nodes");
            all.add(line);
            if (v.path("impact").asText().equals("serious") || v.path("impact").asText().equals("critical")) {
                serious.add(line);
            }
        }
        assertThat(serious).as("axe-core on " + browser.getCurrentUrl()).isEmpty();
        return all;
    }

    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(file)).isGreaterThan(10_000);
    }

    String loaded() {
        return String.valueOf(((JavascriptExecutor) browser).executeScript("return document.body.dataset.loaded || ''"));
    }

    String text(String css) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';", css));
    }

    @SuppressWarnings("unchecked")
    List<String> texts(String css) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim());", css);
    }

    @SuppressWarnings("unchecked")
    List<String> attributes(String css, String attribute) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]));", css, attribute);
    }

    private JsonNode get(String path, boolean nullWhenNotFound) throws Exception {
        HttpResponse<String> r = platform.session().get(platform.serviceUrl() + path);
        if (nullWhenNotFound && r.statusCode() == 404) {
            return null;
        }
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String percent(JsonNode fraction) {
        return fraction.isNull() ? "–" : decimals(fraction.asDouble() * 100, 1) + " %";
    }

    /** As the pages show a number: half up on the exact value (JavaScript's toFixed), a rounded zero without its sign. */
    static String decimals(double value, int places) {
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_UP).abs().signum() == 0
                ? BigDecimal.ZERO.setScale(places).toPlainString()
                : new BigDecimal(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
