package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.cpo.events.AlignmentStep;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventSerializer;
import com.cpo.schemas.KafkaAccess;
import com.cpo.schemas.Topics;
import com.cpo.simulator.SimulatedRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The live dashboard in a real headless Chromium, on the whole platform as {@code ./run} starts it: once the
 * simulated line's units are judged, the page shows the same yield and coupling-loss figures as the REST API
 * (the tiles those of {@code /api/yield} for the same scope); a new verdict on the verdicts topic is on the page
 * within 2 s of the broker's acknowledgement; and after a restart of the service the page reconnects by itself,
 * catches up with what it missed and shows the figures it showed before. Leaves a screenshot in {@code target/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver}: installed here when missing and the test
 * runs as root with apt-get, otherwise the test fails naming the command.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String INSTALL = "apt-get install -y chromium chromium-driver";
    private static final String PRODUCT = "CPO-OE16";
    private static final int UNITS = 40;
    private static final Duration NEW_VERDICT_DEADLINE = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.time.ZoneId ZONE = java.time.ZoneId.of("Asia/Taipei");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalPlatform platform;
    private static WebDriver browser;
    private static KafkaProducer<String, Verdict> verdicts;
    private static String lot;

    @BeforeAll
    static void start() throws Exception {
        ensureChromium();
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dashboard-");
        // a start relative to now: the service forgets lots older than its lot retention (14 days)
        // in a plant zone that is not UTC, so a page that shows UTC times fails
        platform = LocalPlatform.start(new LocalPlatform.Options(ProjectRoot.find(), work, 0, 20261124L, 1, 0, UNITS,
                Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(4)), 1, 720)
                .with(LocalPlatform.Tuning.DEFAULTS.withLine(new LocalPlatform.Line(ZONE.getId(), Map.of(), null, 0, null))));
        // the test plays the analytics app: only its principal may write verdicts
        Properties producer = platform.kafka().clientProperties(KafkaAccess.ANALYTICS);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        verdicts = new KafkaProducer<>(producer, new StringSerializer(), new EventSerializer<>());

        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,2600", "--user-data-dir=" + work.resolve("chromium-profile"));
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        // each step in a finally of its own: a browser that fails to quit must not leave the platform running
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (verdicts != null) {
                    verdicts.close();
                }
            } finally {
                if (platform != null) {
                    platform.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void thePageShowsTheSameFiguresAsTheApiOnceTheLineIsJudged() throws Exception {
        // given every simulated run is judged and stored, and the analytics app's lot figures are those of the truth
        await().atMost(Duration.ofSeconds(60)).until(platform::simulatorsDone);
        Map<String, List<SimulatedRun>> byLot = platform.written().stream()
                .collect(Collectors.groupingBy(SimulatedRun::lot, TreeMap::new, Collectors.toList()));
        lot = byLot.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
        int runsOfLot = byLot.get(lot).size();
        long unitsOfLot = byLot.get(lot).stream().map(SimulatedRun::serial).distinct().count();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode lots = getJson(platform.serviceUrl() + "/api/lots?product=" + PRODUCT + "&lot=" + enc(lot));
            return lots.size() == 1 && lots.get(0).path("runs").asInt() == runsOfLot && lots.get(0).path("units").asInt() == unitsOfLot;
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode l : getJson(platform.analyticsUrl() + "/yield?dimension=LOT&product=" + PRODUCT)) {
                if (l.path("group").asText().equals(lot) && l.path("operation").asText().equals("ALIGN")) {
                    return l.path("runs").asInt() == runsOfLot;
                }
            }
            return false;
        });
        JsonNode lotFigures = getJson(platform.serviceUrl() + "/api/lots?product=" + PRODUCT + "&lot=" + enc(lot)).get(0);
        // the values come from the station events, a consumer of their own: wait until every run's are stored
        String couplingLossUrl = platform.serviceUrl() + "/api/coupling-loss?product=" + PRODUCT + "&lot=" + enc(lot) + "&step=POST_THERMAL";
        JsonNode channel3 = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode c : getJson(couplingLossUrl)) {
                if (c.path("channel").asInt() == 3) {
                    return c;
                }
            }
            return null;
        }, c -> c != null && c.path("n").asInt() == runsOfLot);
        assertThat(channel3).as("channel 3 of lot %s in /api/coupling-loss", lot).isNotNull();
        String expectedFpy = percent(lotFigures.path("fpy").asDouble());
        String expectedFinal = percent(lotFigures.path("finalYield").asDouble());
        String expectedN = Long.toString(channel3.path("n").asLong());
        String expectedCpk = decimals(channel3.path("cpk").asDouble(), 2);

        // when an engineer opens the product's dashboard without a session, the page sends them to the login page,
        // and after logging in back to the same dashboard
        browser.get(platform.dashboardUrl() + "?product=" + PRODUCT);
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.getCurrentUrl().contains("/login.html?next="));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("wrong password");
        browser.findElement(By.id("submit")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("Wrong user name or password.");
        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("password")).sendKeys(java.nio.file.Files.readString(platform.adminPasswordFile()).strip());
        browser.findElement(By.id("submit")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.getCurrentUrl().endsWith("/dashboard.html?product=" + PRODUCT));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("who")).getText().startsWith("admin"));
        // its tiles are the product's figures of /api/yield (all lots)
        String yieldUrl = platform.serviceUrl() + "/api/yield?operation=ALIGN&product=" + PRODUCT;
        long unitsOfLine = platform.written().stream().map(SimulatedRun::serial).distinct().count();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> align(getJson(yieldUrl)).path("units").asLong() == unitsOfLine);
        String[] apiTiles = new String[1];
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(250))
                .withMessage(() -> "tiles " + texts("#kpis .tile") + " vs /api/yield " + apiTiles[0])
                .until(d -> {
                    JsonNode y = getJsonUnchecked(yieldUrl);
                    JsonNode a = align(y);
                    String expected = a.path("units").asText() + " / " + percent(a.path("fpy").asDouble()) + " / "
                            + percent(a.path("finalYield").asDouble()) + " / " + percent(y.path("rty").asDouble());
                    apiTiles[0] = expected;
                    return expected.equals(tiles());
                });
        assertThat(text("#kpi-fpy .label")).contains(PRODUCT).contains("all lots");

        // and when an engineer opens the lot's dashboard
        browser.get(platform.dashboardUrl() + "?product=" + PRODUCT + "&lot=" + enc(lot));

        // then it is live and shows the API's FPY and final yield for the lot, and n and Cpk of channel 3
        String row = "#lots-table tr[data-lot='" + lot + "'][data-operation='ALIGN'] ";
        String stats = "#stats-table tr[data-channel='3'] ";
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100));
        wait.until(d -> "live".equals(d.findElement(By.id("status")).getAttribute("data-state")));
        wait.withMessage(() -> "page " + texts(row + "td") + " / " + texts(stats + "td") + " vs API FPY " + expectedFpy + ", final "
                + expectedFinal + ", n " + expectedN + ", Cpk " + expectedCpk)
                .until(d -> text(row + "td.fpy").equals(expectedFpy) && text(row + "td.final-yield").equals(expectedFinal)
                        && text(stats + "td.n").equals(expectedN) && text(stats + "td.cpk").equals(expectedCpk));
        assertThat(text(row + "td.units")).isEqualTo(Long.toString(unitsOfLot));
        // and its tiles are the lot's figures, labelled so
        assertThat(text("#kpi-fpy .value")).isEqualTo(expectedFpy);
        assertThat(text("#kpi-final .value")).isEqualTo(expectedFinal);
        assertThat(text("#kpi-fpy .label")).contains("lot " + lot);
        // and the charts are drawn by ECharts (canvas), not by hand
        assertThat(browser.findElements(By.cssSelector("#chart-lots canvas, #chart-histogram canvas"))).hasSize(2);
        // and each failure links to its unit's history
        // (read in one script: the live page may redraw the table between two WebDriver calls)
        @SuppressWarnings("unchecked")
        List<String> failureLinks = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#failures-table tbody tr a')].map(a => a.href);");
        assertThat(failureLinks).isNotEmpty().allSatisfy(href -> assertThat(href).startsWith(platform.serviceUrl() + "/unit.html?serial="));
    }

    @Test
    @Order(2)
    void aNewVerdictIsOnThePageWithinTwoSeconds() throws Exception {
        // given the lot's dashboard is live
        assertThat(lot).as("the first test chose the lot").isNotNull();
        Verdict verdict = failedVerdict("BROWSER-" + UUID.randomUUID().toString().substring(0, 8));

        // when the verdict is published on the verdicts topic and the broker acknowledged it
        verdicts.send(new ProducerRecord<>(Topics.VERDICTS.name(), verdict.getSerial(), verdict)).get(10, TimeUnit.SECONDS);
        long acknowledged = System.nanoTime();

        // then it is in the latest verdicts and the latest failures within 2 s of the acknowledgement (waited for
        // longer, so a miss reports by how much)
        String onPage = "#verdicts li[data-event-id='" + verdict.getEventId() + "']";
        String inFailures = "#failures-table tr[data-event-id='" + verdict.getEventId() + "']";
        new WebDriverWait(browser, NEW_VERDICT_DEADLINE.multipliedBy(5), Duration.ofMillis(20))
                .withMessage("verdict " + verdict.getEventId() + " not on the page within " + NEW_VERDICT_DEADLINE.multipliedBy(5))
                .until(d -> !d.findElements(By.cssSelector(onPage)).isEmpty() && !d.findElements(By.cssSelector(inFailures)).isEmpty());
        long delayMs = (System.nanoTime() - acknowledged) / 1_000_000;
        System.out.println("DashboardBrowserIT: verdict acknowledged by the broker -> on the page in " + delayMs + " ms");
        assertThat(delayMs).as("ms from the broker's acknowledgement of verdict %s to the page (measured %d ms, polled every 20 ms)",
                verdict.getEventId(), delayMs).isLessThanOrEqualTo(NEW_VERDICT_DEADLINE.toMillis());
        assertThat(text("#failures-table tr[data-event-id='" + verdict.getEventId() + "'] td a")).isEqualTo(verdict.getSerial());
    }

    @Test
    @Order(3)
    void afterAServiceRestartThePageReconnectsByItselfAndCatchesUp() throws Exception {
        // given the figures the lot's page shows, then the service stops, and the page notices
        assertThat(lot).as("the first test chose the lot").isNotNull();
        String row = "#lots-table tr[data-lot='" + lot + "'][data-operation='ALIGN'] ";
        String before = lotFigures(row);
        assertThat(before).as("the lot's row before the restart").doesNotContain("–").matches("\\d+ / [0-9.]+ % / [0-9.]+ %");
        platform.stopService();
        new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(100))
                .until(d -> "reconnecting".equals(d.findElement(By.id("status")).getAttribute("data-state")));

        // when a verdict is judged while the service is down, and the service comes back
        Verdict missed = failedVerdict("MISSED-" + UUID.randomUUID().toString().substring(0, 8));
        verdicts.send(new ProducerRecord<>(Topics.VERDICTS.name(), missed.getSerial(), missed)).get(10, TimeUnit.SECONDS);
        platform.startService();

        // then the page is live again, without a reload, shows the verdict it missed, and the lot's figures of before
        // (the service pushes what it reads while catching up, so a page that reconnected early gets them too)
        new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100))
                .withMessage(() -> "the page did not reconnect and catch up with " + missed.getEventId() + ": status "
                        + text("#status") + ", lot row " + lotFigures(row) + " (before the restart " + before + ")")
                .until(d -> "live".equals(d.findElement(By.id("status")).getAttribute("data-state"))
                        && !d.findElements(By.cssSelector("#failures-table tr[data-event-id='" + missed.getEventId() + "']")).isEmpty()
                        && lotFigures(row).equals(before));
        assertThat(lotFigures(row)).isEqualTo(before);
    }

    @Test
    @Order(4)
    void theWholeLineShowsTheRackWithEachUnitAndItsDriftAndKeepsAScreenshot() throws Exception {
        // when the dashboard of the whole line is opened
        browser.get(platform.dashboardUrl());

        // then the burn-in rack's units are listed with their serial and drift, pushed from the analytics app's status topic
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200))
                .withMessage(() -> "rack rows: " + texts("#rack-table tbody tr") + "; " + text("#rack-source"))
                .until(d -> "live".equals(d.findElement(By.id("status")).getAttribute("data-state"))
                        && !texts("#rack-table tbody tr td a").isEmpty());
        assertThat(texts("#rack-table tbody tr td a")).allMatch(serial -> serial.startsWith("OE"));
        assertThat(text("#rack-source")).contains(Topics.BURNIN_STATUS.name());
        // and every lot of the simulated line has its row
        Set<String> lots = platform.written().stream().map(SimulatedRun::lot).collect(Collectors.toSet());
        assertThat(lots).as("lots of the simulated line").hasSizeGreaterThanOrEqualTo(2);
        // (and a burn-in rack's lot once one of its loads has been judged: how far the rack is depends on the machine's pace)
        Set<String> rackLots = platform.rackSimulators().stream().flatMap(r -> r.made().stream()).map(u -> u.lot())
                .collect(Collectors.toSet());
        new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(200))
                .withMessage(() -> "lots on the page " + attributes("#lots-table tbody tr", "data-lot") + " vs " + lots + " (rack lots " + rackLots + ")")
                .until(d -> {
                    Set<String> shown = Set.copyOf(attributes("#lots-table tbody tr", "data-lot"));
                    return shown.containsAll(lots) && lots.containsAll(shown.stream().filter(l -> !rackLots.contains(l)).toList());
                });

        Path screenshot = Path.of("target", "dashboard-screenshot.png").toAbsolutePath();
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        System.out.println("DashboardBrowserIT: screenshot " + screenshot);
    }

    @Test
    @Order(5)
    void anEngineerAcknowledgesABurnInAlarmAndSeesAControlChartWithItsViolationsMarked() throws Exception {
        // given a station of the simulated line (its coupling-loss statistics name it), a day of its channel 1 control chart
        // with one hour beyond the upper control limit, and a burn-in alarm, written as the analytics app writes them
        String station = await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode s : getJson(platform.serviceUrl() + "/api/live/snapshot").path("statistics")) {
                if (s.path("scope").asText().equals("PRODUCT_STATION")) {
                    return s.path("station").asText();
                }
            }
            return null;
        }, s -> s != null);
        Properties analytics = platform.kafka().clientProperties(KafkaAccess.ANALYTICS);
        analytics.put(ProducerConfig.ACKS_CONFIG, "all");
        Instant firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(60));
        String serial = "OE16-ALARM-" + UUID.randomUUID().toString().substring(0, 6);
        try (KafkaProducer<String, org.apache.avro.specific.SpecificRecord> producer = new KafkaProducer<>(analytics, new StringSerializer(),
                new EventSerializer<>())) {
            for (int h = 0; h < 24; h++) {
                Instant hour = firstHour.plus(Duration.ofHours(h));
                double mean = h == 20 ? 1.45 : 1.2 + 0.02 * Math.sin(h);
                String key = PRODUCT + "|" + station + "|1|" + hour;
                producer.send(new ProducerRecord<>(Topics.SPC_POINTS.name(), key, com.cpo.events.SpcPoint.newBuilder().setEventId(key)
                        .setProduct(PRODUCT).setStation(station).setChannel(1).setHourStart(hour).setN(12).setMeanDb(mean).setStdDevDb(0.1)
                        .setBaselineVersion(1).setCentreDb(1.2).setLowerControlLimitDb(1.2 - 3 * 0.1 / Math.sqrt(12))
                        .setUpperControlLimitDb(1.2 + 3 * 0.1 / Math.sqrt(12)).setZ((mean - 1.2) / (0.1 / Math.sqrt(12)))
                        .setViolations(h == 20 ? List.of(com.cpo.events.WesternElectricRule.BEYOND_3_SIGMA) : List.of()).build()));
            }
            String run = "BI-01/" + serial + "/BURNIN/1";
            producer.send(new ProducerRecord<>(Topics.BURNIN_ALARMS.name(), serial, com.cpo.events.BurnInAlarm.newBuilder()
                    .setEventId(run + ":POWER_DRIFT_PROJECTED:RAISED:1").setEventTime(Instant.now()).setRunId(run).setSerial(serial)
                    .setStation("BI-01").setSlot(2).setChannel(5).setKind(com.cpo.events.AlarmKind.POWER_DRIFT_PROJECTED)
                    .setTransition(com.cpo.events.AlarmTransition.RAISED).setChannels(List.of(5, 9)).setValue(-0.21).setLimit(-0.5)
                    .setUnitOfMeasure("dB").setSlopePerHour(-0.03).setHoursToLimit(9.7).setProjected(-0.74)
                    .setMessage("channel 5 power drift -0.210 dB").build())).get(30, TimeUnit.SECONDS);
        }

        // and an engineer's account (the administrator views, an engineer acknowledges)
        String engineer = "eng-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> created = platform.session().postJson("/api/users", "{\"username\":\"" + engineer + "\",\"roles\":\"engineer\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String password = JSON.readTree(created.body()).path("password").asText();

        // when the engineer logs in and opens the whole line's dashboard
        browser.get(platform.dashboardUrl());
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("logout")).isEmpty());
        browser.findElement(By.id("logout")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.getCurrentUrl().contains("login.html"));
        browser.findElement(By.id("username")).sendKeys(engineer);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("submit")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.getCurrentUrl().contains("login.html"));
        browser.get(platform.dashboardUrl());
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("who")).getText().startsWith(engineer));
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(250)).withMessage(() -> "alarm row of " + serial + ": " + alarmRow(serial))
                .until(d -> alarmRow(serial).contains("OPEN"));

        // then the open alarm names both channels and offers to acknowledge; acknowledging asks for a note
        assertThat(alarmRow(serial)).contains("5, 9").contains("POWER_DRIFT_PROJECTED");
        // (clicked from a timer: the table is redrawn as alarms change, and the click opens a prompt the script must not wait for)
        ((JavascriptExecutor) browser).executeScript("setTimeout(() => document.querySelector(\"#alarms-table tbody tr[data-serial='\" + arguments[0]"
                + " + \"'] button.acknowledge\").click(), 0)", serial);
        var prompt = new WebDriverWait(browser, Duration.ofSeconds(5)).until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
        prompt.sendKeys("fiber strain relief re-seated; watching");
        prompt.accept();
        new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(250)).withMessage(() -> "alarm row " + alarmRow(serial))
                .until(d -> alarmRow(serial).contains("ACKNOWLEDGED"));
        assertThat(alarmRow(serial)).contains(engineer + ": fiber strain relief re-seated; watching");
        JsonNode counts = getJson(platform.serviceUrl() + "/api/alarms/counts");
        new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(250))
                .until(d -> text("#kpi-alarms-acknowledged .value").equals(counts.path("acknowledged").asText()));

        // and the control chart of the station's channel 1 shows the day's hours with the hour beyond its limit marked
        org.openqa.selenium.support.ui.Select scope = new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("spc-chart-scope")));
        scope.selectByValue(PRODUCT + " · " + station);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("spc-channel"))).selectByValue("1");
        String chartUrl = platform.serviceUrl() + "/api/spc/chart?product=" + PRODUCT + "&station=" + enc(station) + "&channel=1";
        JsonNode chartApi = await().atMost(Duration.ofSeconds(30)).until(() -> getJson(chartUrl), c -> c.path("points").size() >= 24);
        long flaggedApi = 0;
        for (JsonNode p : chartApi.path("points")) {
            flaggedApi += p.path("violations").size() > 0 ? 1 : 0;
        }
        long expectedFlagged = flaggedApi;
        ((JavascriptExecutor) browser).executeScript("loadSpc()");
        new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(250))
                .withMessage(() -> "chart " + browser.findElement(By.id("chart-spc")).getAttribute("data-points") + " points vs the API's "
                        + chartApi.path("points").size())
                .until(d -> String.valueOf(chartApi.path("points").size()).equals(d.findElement(By.id("chart-spc")).getAttribute("data-points")));
        assertThat(browser.findElement(By.id("chart-spc")).getAttribute("data-violations")).isEqualTo(String.valueOf(expectedFlagged));
        assertThat(expectedFlagged).isGreaterThanOrEqualTo(1);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('spc').scrollIntoView()");
        Path screenshot = Path.of("target", "dashboard-alarms-and-control-chart.png").toAbsolutePath();
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        System.out.println("DashboardBrowserIT: screenshot " + screenshot);
    }

    /** The text of the alarm table's row of a unit, read in one go (the table is redrawn as alarms change); empty when none. */
    private static String alarmRow(String serial) {
        Object text = ((JavascriptExecutor) browser).executeScript("const r = document.querySelector(\"#alarms-table tbody tr[data-serial='\""
                + " + arguments[0] + \"']\"); return r ? r.innerText : ''", serial);
        return text == null ? "" : text.toString();
    }

    @Test
    @Order(6)
    void aRefusedFilterIsShownAndNotRetried() {
        // when the dashboard is opened with a product that is no name
        browser.get(platform.dashboardUrl() + "?product=" + enc("CPO OE16;drop"));

        // then the page shows the service's problem and stops
        new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(100))
                .withMessage(() -> "status " + text("#status") + ", problem '" + text("#problem") + "'")
                .until(d -> "failed".equals(d.findElement(By.id("status")).getAttribute("data-state"))
                        && d.findElement(By.id("problem")).isDisplayed());
        assertThat(text("#problem")).contains("CPO OE16;drop");
        // and it stays stopped past the 2 s after which it would have reconnected
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> "failed".equals(browser.findElement(By.id("status")).getAttribute("data-state")));
    }

    @Test
    @Order(7)
    void anEngineerFindsAFailingUnitWithTheSearchBoxSeesItsDriftAndFailedChecksAndOpensItsLot() throws Exception {
        WorkbenchPages pages = new WorkbenchPages(browser, platform);
        // given a unit of the rack that failed burn-in
        String serial = pages.aUnitThatFailedBurnIn(Duration.ofMinutes(4)).getKey();

        // when the engineer types its serial into the dashboard's search box
        pages.search(platform.dashboardUrl(), serial);

        // then its page shows the API's runs, failed checks and drifts, times in the plant's zone, and no serious
        // accessibility violation
        JsonNode unit = getJson(platform.serviceUrl() + "/api/units/" + enc(serial));
        pages.unitPageShowsTheApisFigures(serial, unit, ZONE);
        System.out.println("DashboardBrowserIT: axe-core on the unit page: " + pages.noSeriousAccessibilityViolation());
        pages.screenshot(Path.of("target", "unit-page.png").toAbsolutePath());

        // and its lot's page the API's yield, Pareto and units
        pages.lotPageShowsTheApisFigures(unit);
        System.out.println("DashboardBrowserIT: axe-core on the lot page: " + pages.noSeriousAccessibilityViolation());
        pages.screenshot(Path.of("target", "lot-page.png").toAbsolutePath());
        browser.get(platform.serviceUrl() + "/lot.html?operation=BURNIN");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "true".equals(pages.loaded()));
        assertThat(pages.attributes("#lots-table tbody tr", "data-lot")).contains(unit.path("lot").asText());
        System.out.println("DashboardBrowserIT: axe-core on the lots page: " + pages.noSeriousAccessibilityViolation());

        // and an aligned unit's page names its parts and draws its alignment scan
        pages.alignedUnitShowsItsGenealogyAndScan(platform.written().get(0).serial());
        pages.screenshot(Path.of("target", "unit-page-alignment.png").toAbsolutePath());
    }

    @Test
    @Order(8)
    void thePagesWorkBehindAReverseProxyUnderAPathOfTheirOwn() throws Exception {
        WorkbenchPages pages = new WorkbenchPages(browser, platform);
        String serial = pages.aUnitThatFailedBurnIn(Duration.ofMinutes(1)).getKey();
        try (PathPrefixProxy proxy = new PathPrefixProxy("/cpo", java.net.URI.create(platform.serviceUrl()))) {
            // when the unit is searched from the dashboard served under /cpo (the session cookie is the host's, as behind a
            // plant's gateway), and its lot followed from there
            pages.search(proxy.url() + "/dashboard.html", serial);
            JsonNode unit = getJson(platform.serviceUrl() + "/api/units/" + enc(serial));
            pages.unitPageShowsTheApisFigures(serial, unit, ZONE);
            browser.findElement(By.cssSelector("#lot a")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "true".equals(pages.loaded()));

            // then every page, script, style and call went through the proxy, under its path
            assertThat(browser.getCurrentUrl()).startsWith(proxy.url() + "/lot.html");
            assertThat(pages.text("#problem")).isEmpty();
            @SuppressWarnings("unchecked")
            List<String> resources = (List<String>) ((JavascriptExecutor) browser).executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name);");
            assertThat(resources).isNotEmpty().allMatch(r -> r.startsWith(proxy.url() + "/"));
            // and so do the reports and limits pages
            for (String page : List.of("reports.html", "limits.html")) {
                browser.get(proxy.url() + "/" + page);
                new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(() -> page + ": " + pages.text("#problem"))
                        .until(d -> "true".equals(pages.loaded()));
                assertThat(pages.text("#problem")).as(page).isEmpty();
                @SuppressWarnings("unchecked")
                List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                        "return performance.getEntriesByType('resource').map(e => e.name);");
                assertThat(loaded).as(page).isNotEmpty().allMatch(r -> r.startsWith(proxy.url() + "/"));
            }
            assertThat(proxy.forwarded.get()).isGreaterThan(10);
        }
    }

    @Test
    @Order(9)
    void aReportIsPreviewedBuiltWithItsProgressDownloadedAndScheduled() throws Exception {
        LimitsAndReportsPages pages = new LimitsAndReportsPages(browser, platform);
        String viewer = "eng-" + UUID.randomUUID().toString().substring(0, 6);
        pages.logIn(viewer, pages.account(viewer, "engineer"), "reports.html");
        pages.reportsPage(PRODUCT);
        System.out.println("DashboardBrowserIT: axe-core on the reports page: " + new WorkbenchPages(browser, platform).noSeriousAccessibilityViolation());
        new WorkbenchPages(browser, platform).screenshot(Path.of("target", "reports-page.png").toAbsolutePath());
    }

    @Test
    @Order(10)
    void anEngineerImportsAChangedLimitSetAndASecondPersonReleasesIt() throws Exception {
        LimitsAndReportsPages pages = new LimitsAndReportsPages(browser, platform);
        String engineer = "eng-" + UUID.randomUUID().toString().substring(0, 6);
        String quality = "qa-" + UUID.randomUUID().toString().substring(0, 6);
        pages.limitsPage(PRODUCT, engineer, pages.account(engineer, "engineer"), quality, pages.account(quality, "quality"),
                Files.createTempDirectory(Path.of("target").toAbsolutePath(), "limits-"));
        new WorkbenchPages(browser, platform).screenshot(Path.of("target", "limits-page.png").toAbsolutePath());
    }

    private static Verdict failedVerdict(String serial) {
        Instant now = Instant.now();
        return Verdict.newBuilder().setEventId("verdict:" + serial).setEventTime(now).setRunId(serial + "-ALIGN-1").setSerial(serial)
                .setProduct(PRODUCT).setLot(lot).setStation("AA-01").setOperation(Operation.ALIGN).setAttempt(1)
                .setRunStartTime(now.minusSeconds(60)).setOutcome(Outcome.FAIL).setLimitSetId(LocalPlatform.LIMIT_SET_ID)
                .setLimitSetVersion(1).setReason(null)
                .setFailedChecks(List.of(FailedCheck.newBuilder().setParameter("coupling_loss").setStep(AlignmentStep.POST_THERMAL)
                        .setChannel(5).setValue(2.71).setUpperLimit(LocalPlatform.COUPLING_LOSS_USL_DB).setUnitOfMeasure("dB").build()))
                .build();
    }

    /** As the page shows a fraction: percent, one decimal, half up on the exact value (JavaScript's toFixed). */
    private static String percent(double fraction) {
        return decimals(fraction * 100, 1) + " %";
    }

    private static String decimals(double value, int places) {
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }

    /** The text of the first match, read in one script so a re-render between finding and reading cannot intervene. */
    private static String text(String css) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';", css);
        return String.valueOf(text);
    }

    /**
     * Units, FPY and final yield of a lot's ALIGN row, as shown: fixed once the simulated line is judged (the
     * verdicts this test publishes reach the database, not the analytics app's figures). Not RTY: burn-in goes on.
     */
    private static String lotFigures(String row) {
        return text(row + "td.units") + " / " + text(row + "td.fpy") + " / " + text(row + "td.final-yield");
    }

    /** Units, FPY, final yield and RTY of the tiles, as shown. */
    private static String tiles() {
        return text("#kpi-units .value") + " / " + text("#kpi-fpy .value") + " / " + text("#kpi-final .value") + " / "
                + text("#kpi-rty .value");
    }

    private static JsonNode align(JsonNode yield) {
        for (JsonNode o : yield.path("operations")) {
            if (o.path("key").asText().equals("ALIGN")) {
                return o;
            }
        }
        return JSON.missingNode();
    }

    @SuppressWarnings("unchecked")
    private static List<String> attributes(String css, String attribute) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]));", css, attribute);
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(String css) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim());", css);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode getJsonUnchecked(String url) {
        try {
            return getJson(url);
        } catch (Exception e) {
            throw new IllegalStateException(url, e);
        }
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(platform.session().request(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Installs Debian's chromium and chromedriver when missing and allowed (root, apt-get); otherwise fails saying how. */
    static void ensureChromium() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new IllegalStateException("The dashboard browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + "; install them with: sudo " + INSTALL);
        }
        for (List<String> command : List.of(List.of("apt-get", "update", "-qq"), List.of(INSTALL.split(" ")))) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "chromium-install.log").toFile()));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed; see target/chromium-install.log");
            }
        }
    }
}
