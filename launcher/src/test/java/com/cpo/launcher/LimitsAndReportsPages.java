package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reports and limits pages in the browser against the REST API: a report previewed, built with progress and downloaded,
 * scheduled and run; a changed limit set imported from Excel by an engineer (a bad sheet first, every error at its row and
 * column), compared channel by channel with the version in force, refused to its author, released by a second person.
 */
final class LimitsAndReportsPages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final WebDriver browser;
    private final LocalPlatform platform;
    private final WorkbenchPages pages;

    LimitsAndReportsPages(WebDriver browser, LocalPlatform platform) {
        this.browser = browser;
        this.platform = platform;
        this.pages = new WorkbenchPages(browser, platform);
    }

    /** A new account with these roles; its generated password. */
    String account(String user, String roles) throws Exception {
        HttpResponse<String> created = platform.session().postJson("/api/users", "{\"username\":\"" + user + "\",\"roles\":\"" + roles + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("password").asText();
    }

    /** Logs the browser in as this user through the login page, then opens {@code page}. */
    void logIn(String user, String password, String page) {
        browser.manage().deleteAllCookies();
        browser.get(platform.serviceUrl() + "/login.html?next=" + page);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !d.findElements(By.id("username")).isEmpty());
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(() -> "at " + browser.getCurrentUrl() + " as " + user)
                .until(d -> d.getCurrentUrl().contains(page) && "true".equals(pages.loaded()) && pages.text("#who").startsWith(user));
    }

    /** The reports page previews the API's figures, builds the workbook with progress, and schedules a report that runs. */
    void reportsPage(String product) throws Exception {
        browser.get(platform.serviceUrl() + "/reports.html?product=" + WorkbenchPages.enc(product));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "true".equals(pages.loaded()));
        JsonNode yield = get("/api/yield?operation=ALIGN&product=" + WorkbenchPages.enc(product));
        for (JsonNode o : yield.path("operations")) {
            String row = "#preview-table tbody tr[data-operation='" + o.path("key").asText() + "'] ";
            assertThat(pages.text(row + "td.units")).isEqualTo(o.path("units").asText());
            assertThat(pages.text(row + "td.fpy")).isEqualTo(o.path("fpy").isNull() ? "–" : WorkbenchPages.decimals(o.path("fpy").asDouble() * 100, 1) + " %");
        }
        assertThat(pages.texts("#days-table tbody tr")).isNotEmpty();

        // the workbook: a job followed to the end, then a download link that answers with the workbook
        browser.findElement(By.id("build")).click();
        new WebDriverWait(browser, Duration.ofSeconds(120)).withMessage(() -> "job: " + pages.text("#job-status"))
                .until(d -> "DONE".equals(d.findElement(By.id("job")).getAttribute("data-state")));
        assertThat(pages.text("#job-status")).startsWith("done:").contains("raw rows", "KiB");
        String href = browser.findElement(By.id("job-file")).getAttribute("href");
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(download(href)))) {
            assertThat(workbook.getSheet("Summary")).isNotNull();
        }

        // a daily report at 06:00, run now: its file is listed with the period it covers
        browser.findElement(By.id("s-name")).sendKeys("morning meeting " + product);
        browser.findElement(By.cssSelector("#schedule-form button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> pages.text("#schedule-result").startsWith("Scheduled"));
        JsonNode schedules = get("/api/reports/schedules");
        JsonNode made = null;
        for (JsonNode s : schedules) {
            if (s.path("name").asText().equals("morning meeting " + product)) {
                made = s;
            }
        }
        assertThat(made).isNotNull();
        assertThat(made.path("at").asText()).isEqualTo("06:00");
        String row = "#schedules-table tbody tr[data-schedule='" + made.path("id").asText() + "'] ";
        assertThat(pages.text(row + "td:nth-child(3)")).isEqualTo("daily at 06:00 " + made.path("zone").asText());
        browser.findElements(By.cssSelector(row + "button")).stream().filter(b -> b.getText().equals("run now")).findFirst().orElseThrow().click();
        new WebDriverWait(browser, Duration.ofSeconds(120)).withMessage(() -> "files: " + pages.texts("#files-table tbody tr"))
                .until(d -> {
                    browser.findElements(By.cssSelector(row + "button")).stream().filter(b -> b.getText().equals("files")).findFirst()
                            .orElseThrow().click();
                    return pages.texts("#files-table tbody tr td:nth-child(3)").contains("DONE");
                });
        assertThat(pages.texts("#files-table tbody tr td:nth-child(6)")).anyMatch(f -> f.startsWith("yield-morning_meeting_" + product));
    }

    /**
     * An engineer imports a changed sheet (a bad one first), sees the draft beside the version in force and cannot release it;
     * a quality engineer releases it.
     */
    void limitsPage(String product, String engineer, String engineerPassword, String quality, String qualityPassword, Path work)
            throws Exception {
        JsonNode inForce = get("/api/limit-sets/" + product + "/ALIGN/in-force");
        int version = inForce.path("version").asInt();
        byte[] sheet = download("/api/limit-sets/" + product + "/ALIGN/versions/" + version + "/limits.xlsx");
        double usl = -1;
        Path bad = work.resolve("limits-bad.xlsx");
        Path good = work.resolve("limits-tighter.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(sheet))) {
            Sheet s = workbook.getSheetAt(0);
            Row loss = null;
            for (Row r : s) {
                if (r.getCell(0) != null && "coupling_loss".equals(r.getCell(0).toString()) && r.getCell(3) != null
                        && r.getCell(3).getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC) {
                    loss = r;
                }
            }
            assertThat(loss).as("a coupling-loss row with an upper limit in the exported sheet").isNotNull();
            usl = loss.getCell(3).getNumericCellValue();
            loss.getCell(3).setCellValue(usl - 0.1);
            Files.write(good, bytes(workbook));
            loss.getCell(3).setCellValue("two dB");
            Files.write(bad, bytes(workbook));
        }

        logIn(engineer, engineerPassword, "limits.html");
        // a bad sheet: refused whole, its error at its row and column as the API gives it
        importSheet(product, bad, "a typo");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> pages.text("#import-result").startsWith("Refused"));
        ServiceSession asEngineer = ServiceSession.login(platform.serviceUrl(), engineer, engineerPassword);
        HttpResponse<String> refused = java.net.http.HttpClient.newHttpClient().send(asEngineer
                .request("/api/limit-sets/" + product + "/ALIGN/drafts?reason=probe").header("Content-Type", XLSX)
                .POST(HttpRequest.BodyPublishers.ofFile(bad)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(422);
        List<String> expected = new ArrayList<>();
        for (JsonNode e : JSON.readTree(refused.body()).path("errors")) {
            expected.add(e.path("row").asText() + " " + e.path("column").asText());
        }
        List<String> shown = new ArrayList<>();
        List<String> rows = pages.texts("#import-errors tbody tr td:nth-child(1)");
        List<String> columns = pages.texts("#import-errors tbody tr td:nth-child(2)");
        for (int i = 0; i < rows.size(); i++) {
            shown.add(rows.get(i) + " " + columns.get(i));
        }
        assertThat(shown).isNotEmpty().isEqualTo(expected);

        // the changed sheet: a draft, beside the version in force, channel by channel
        importSheet(product, good, "tighter USL after the capability study");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> pages.text("#import-result").startsWith("Draft"));
        int draft = version + 1;
        JsonNode compare = get("/api/limit-sets/" + product + "/ALIGN/versions/" + draft + "/compare");
        List<String> apiChanges = new ArrayList<>();
        compare.path("rows").forEach(r -> {
            if (!r.path("change").asText().equals("SAME")) {
                apiChanges.add(r.path("parameter").asText() + " " + (r.path("channel").isNull() ? "unit" : r.path("channel").asText()) + " "
                        + r.path("change").asText());
            }
        });
        assertThat(apiChanges).isNotEmpty().allMatch(c -> c.endsWith("TIGHTER"));
        List<String> pageChanges = new ArrayList<>();
        List<String> params = pages.texts("#compare-table tbody tr td:nth-child(1)");
        List<String> channels = pages.texts("#compare-table tbody tr td:nth-child(2)");
        List<String> changes = pages.texts("#compare-table tbody tr td:nth-child(8)");
        for (int i = 0; i < params.size(); i++) {
            pageChanges.add(params.get(i) + " " + channels.get(i) + " " + changes.get(i));
        }
        assertThat(pageChanges).isEqualTo(apiChanges);
        System.out.println("LimitsAndReportsPages: axe-core on the limits page: " + pages.noSeriousAccessibilityViolation());

        // the engineer cannot release their own draft
        browser.findElement(By.id("release-reason")).sendKeys("my own");
        browser.findElement(By.cssSelector("#release-form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> pages.text("#release-result").startsWith("Not released"));
        assertThat(get("/api/limit-sets/" + product + "/ALIGN/versions/" + draft).path("status").asText()).isEqualTo("DRAFT");

        // a quality engineer releases it, and the audit trail names both; first, what would it have done to every stored run?
        logIn(quality, qualityPassword, "limits.html");
        assertThat(pages.text("#version-name")).isEqualTo(product + "/ALIGN v" + draft);
        whatIf(product, draft, quality, qualityPassword);
        browser.findElement(By.id("release-reason")).sendKeys("approved in the limits review");
        browser.findElement(By.cssSelector("#release-form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(() -> pages.text("#release-result"))
                .until(d -> pages.text("#release-result").startsWith("Released v" + draft));
        JsonNode released = get("/api/limit-sets/" + product + "/ALIGN/versions/" + draft);
        assertThat(released.path("status").asText()).isEqualTo("RELEASED");
        assertThat(released.path("releasedBy").asText()).isEqualTo(quality);
        List<String> audit = pages.texts("#audit-table tbody tr");
        assertThat(String.join("\n", audit)).contains("DRAFTED" + engineer).contains("RELEASED" + quality);
        double tightened = usl - 0.1;
        assertThat(released.toString()).contains(String.valueOf(tightened));
    }

    /**
     * The what-if panel over every stored run (the plant's clock from 2020 to 2030), its figures equal to the same what-if
     * asked through the API.
     */
    private void whatIf(String product, int draft, String quality, String qualityPassword) throws Exception {
        var js = (org.openqa.selenium.JavascriptExecutor) browser;
        js.executeScript("document.getElementById('whatif-from').value = arguments[0]; document.getElementById('whatif-to').value = arguments[1];",
                "2020-01-01T00:00", "2030-01-01T00:00");
        browser.findElement(By.cssSelector("#whatif-form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(120)).withMessage(() -> "what-if: " + pages.text("#whatif-status"))
                .until(d -> "DONE".equals(d.findElement(By.id("whatif-job")).getAttribute("data-state")));
        ServiceSession asQuality = ServiceSession.login(platform.serviceUrl(), quality, qualityPassword);
        JsonNode period = JSON.readTree(String.valueOf(js.executeScript("return JSON.stringify({from: cpo.instantOf('2020-01-01T00:00'), "
                + "to: cpo.instantOf('2030-01-01T00:00')})")));
        HttpResponse<String> accepted = asQuality.postJson("/api/limit-sets/" + product + "/ALIGN/versions/" + draft + "/what-if", period.toString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode job = JSON.readTree(asQuality.get(location).body());
        for (int i = 0; i < 240 && !job.path("state").asText().equals("DONE"); i++) {
            Thread.sleep(500);
            job = JSON.readTree(asQuality.get(location).body());
        }
        JsonNode result = job.path("result");
        assertThat(result.path("runs").asLong()).as(job.toString()).isPositive();
        assertThat(pages.text("#whatif-summary")).startsWith(String.format(java.util.Locale.ROOT, "%,d runs of %,d units", result.path("runs").asLong(),
                result.path("units").asLong())).contains(result.path("flips").asLong() + " flip");
        for (JsonNode row : result.path("rows")) {
            String key = "#whatif-table tbody tr[data-station='" + (row.path("station").isNull() ? "all" : row.path("station").asText())
                    + "'][data-channel='" + (row.path("channel").isNull() ? "unit" : row.path("channel").asText()) + "'] ";
            assertThat(pages.text(key + "td:nth-child(3)")).isEqualTo(row.path("units").asText());
            assertThat(pages.text(key + "td:nth-child(4)")).isEqualTo(percent(row.path("fpyInForce")));
            assertThat(pages.text(key + "td:nth-child(5)")).isEqualTo(percent(row.path("fpyDraft")));
            assertThat(pages.text(key + "td:nth-child(7)")).isEqualTo(percent(row.path("finalYieldDraft")));
        }
        assertThat(pages.texts("#whatif-flips tbody tr td:nth-child(1)")).containsExactlyElementsOf(result.path("flips").asLong() == 0 ? List.of("No run flips.")
                : java.util.stream.StreamSupport.stream(result.path("flipsListed").spliterator(), false).map(f -> f.path("serial").asText()).toList());
        String href = browser.findElement(By.id("whatif-file")).getAttribute("href");
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(download(href)))) {
            assertThat(workbook.getSheet("What-if").getRow(0).getCell(0).getStringCellValue()).contains(product + "/ALIGN v" + draft);
        }
    }

    private static String percent(JsonNode v) {
        return v.isNull() ? "–" : WorkbenchPages.decimals(v.asDouble() * 100, 2) + " %";
    }

    private void importSheet(String product, Path file, String reason) {
        browser.findElement(By.id("import-product")).clear();
        browser.findElement(By.id("import-product")).sendKeys(product);
        new Select(browser.findElement(By.id("import-operation"))).selectByValue("ALIGN");
        browser.findElement(By.id("import-reason")).clear();
        browser.findElement(By.id("import-reason")).sendKeys(reason);
        browser.findElement(By.id("import-file")).sendKeys(file.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("#import-form button")).click();
    }

    private static byte[] bytes(XSSFWorkbook workbook) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        workbook.write(out);
        return out.toByteArray();
    }

    private byte[] download(String path) throws Exception {
        HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(platform.session().request(path).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = platform.session().get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
