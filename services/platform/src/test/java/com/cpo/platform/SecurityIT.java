package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Who may do what, on the packaged service with its real database: no session, the wrong role, the right one; four eyes
 * on a release; the audit's "who" is the login; back-dating needs a reason; CSRF on every change; uploads bounded; line
 * screens' links.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class SecurityIT {

    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static RequestSpecification anonymous() {
        return given().noFilters();
    }

    private static RequestSpecification as(String user) {
        return Sessions.as(user).spec();
    }

    @Test
    void theFirstAdministratorsPasswordIsInAFileOnlyItsOwnerReads() throws Exception {
        assertThat(Files.getPosixFilePermissions(Sessions.ADMIN_PASSWORD_FILE))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Sessions.adminPassword()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(anonymous().contentType("application/x-www-form-urlencoded").formParam("j_username", "admin")
                .formParam("j_password", "not-it").post("/j_security_check").statusCode()).isEqualTo(401);
    }

    @Test
    void everyEndpointAnswers401WithoutASessionWithAProblemBody() {
        String product = TestVerdicts.uniqueSerial("SEC");
        for (String path : List.of("/api/units", "/api/units/X-1", "/api/lots", "/api/yield", "/api/coupling-loss", "/api/limit-sets",
                "/api/reports/yield.xlsx", "/api/storage", "/api/dead-letters", "/api/corrections", "/api/live/snapshot", "/api/users",
                "/api/screens", "/api/me")) {
            Response r = anonymous().get(path);
            assertThat(r.statusCode()).as("GET %s", path).isEqualTo(401);
        }
        Response draft = anonymous().contentType(ContentType.JSON).body(Map.of("reason", "r", "limits", List.of(limit(2.0))))
                .post("/api/limit-sets/{p}/ALIGN/drafts", product);
        assertThat(draft.statusCode()).isEqualTo(401);
        Response units = anonymous().get("/api/units");
        assertThat(units.contentType()).startsWith("application/problem+json");
        assertThat(units.jsonPath().getString("title")).isEqualTo("Not logged in");
    }

    @Test
    void eachRoleReachesItsOwnEndpointsAndIsRefusedTheOthersWith403() {
        String product = TestVerdicts.uniqueSerial("SEC");
        // viewer: figures and reports, nothing that changes anything
        assertThat(as("it-viewer").get("/api/lots").statusCode()).isEqualTo(200);
        assertThat(as("it-viewer").get("/api/limit-sets").statusCode()).isEqualTo(200);
        assertThat(as("it-viewer").get("/api/live/snapshot").statusCode()).isEqualTo(200);
        assertThat(as("it-viewer").contentType(ContentType.JSON).body(Map.of("reason", "r", "limits", List.of(limit(2.0))))
                .post("/api/limit-sets/{p}/ALIGN/drafts", product).statusCode()).isEqualTo(403);
        assertThat(as("it-viewer").post("/api/dead-letters/1/replay").statusCode()).isEqualTo(403);
        assertThat(as("it-viewer").get("/api/users").statusCode()).isEqualTo(403);
        // engineer: drafts, not releases, not users
        assertThat(as("it-engineer").contentType(ContentType.JSON).body(Map.of("reason", "r", "limits", List.of(limit(2.0))))
                .post("/api/limit-sets/{p}/ALIGN/drafts", product).statusCode()).isEqualTo(201);
        assertThat(as("it-engineer").get("/api/lots").statusCode()).isEqualTo(200);
        Response engineerRelease = as("it-engineer").contentType(ContentType.JSON).body(Map.of("reason", "r"))
                .post("/api/limit-sets/{p}/ALIGN/versions/1/release", product);
        assertThat(engineerRelease.statusCode()).isEqualTo(403);
        assertThat(engineerRelease.jsonPath().getString("title")).isEqualTo("Role missing");
        assertThat(as("it-engineer").get("/api/users").statusCode()).isEqualTo(403);
        // quality: releases (someone else's draft), not drafts
        assertThat(as("it-quality").contentType(ContentType.JSON).body(Map.of("reason", "r", "limits", List.of(limit(2.0))))
                .put("/api/limit-sets/{p}/ALIGN/versions/1", product).statusCode()).isEqualTo(403);
        assertThat(as("it-quality").contentType(ContentType.JSON).body(Map.of("reason", "qualified"))
                .post("/api/limit-sets/{p}/ALIGN/versions/1/release", product).statusCode()).isEqualTo(200);
        // admin: users and screens, and the figures (every role includes viewer), not limits
        assertThat(as("it-admin").get("/api/users").statusCode()).isEqualTo(200);
        assertThat(as("it-admin").get("/api/screens").statusCode()).isEqualTo(200);
        assertThat(as("it-admin").get("/api/units").statusCode()).isEqualTo(200);
        assertThat(as("it-admin").contentType(ContentType.JSON).body(Map.of("reason", "r", "limits", List.of(limit(2.0))))
                .post("/api/limit-sets/{p}/ALIGN/drafts", product).statusCode()).isEqualTo(403);
        // who am I
        assertThat(as("it-quality").get("/api/me").jsonPath().getList("roles", String.class)).containsExactlyInAnyOrder("quality", "viewer");
    }

    @Test
    void nobodyReleasesTheirOwnDraftAndTheAuditNamesTheLoginsNotTheBody() {
        String product = TestVerdicts.uniqueSerial("SEC");
        // it-all has the engineer and the quality role: it drafts, so it may not release
        Response drafted = as(Sessions.EVERY_ROLE).contentType(ContentType.JSON)
                .body(Map.of("author", "someone.else", "reason", "ECO-7", "limits", List.of(limit(2.0))))
                .post("/api/limit-sets/{p}/ALIGN/drafts", product);
        assertThat(drafted.statusCode()).isEqualTo(201);
        Response own = as(Sessions.EVERY_ROLE).contentType(ContentType.JSON).body(Map.of("releasedBy", "it-quality", "reason", "mine"))
                .post("/api/limit-sets/{p}/ALIGN/versions/1/release", product);
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.jsonPath().getString("detail")).contains("Four eyes").contains(Sessions.EVERY_ROLE);
        // a reviser is an author too
        assertThat(as("it-engineer").contentType(ContentType.JSON).body(Map.of("reason", "channel 5", "limits", List.of(limit(1.9))))
                .put("/api/limit-sets/{p}/ALIGN/versions/1", product).statusCode()).isEqualTo(200);
        Response released = as("it-quality").contentType(ContentType.JSON).body(Map.of("releasedBy", "forged.name", "reason", "ok"))
                .post("/api/limit-sets/{p}/ALIGN/versions/1/release", product);
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(released.jsonPath().getList("audit.actor", String.class)).containsExactly(Sessions.EVERY_ROLE, "it-engineer", "it-quality");
        assertThat(released.jsonPath().getString("releasedBy")).isEqualTo("it-quality");
    }

    @Test
    void aBackDatedReleaseNeedsAReasonWhichTheAuditShows() {
        String product = TestVerdicts.uniqueSerial("SEC");
        as("it-engineer").contentType(ContentType.JSON).body(Map.of("reason", "r", "limits", List.of(limit(2.0))))
                .post("/api/limit-sets/{p}/ALIGN/drafts", product).then().statusCode(201);
        String past = Instant.now().minus(Duration.ofDays(3)).toString();
        Response refused = as("it-quality").contentType(ContentType.JSON).body(Map.of("reason", "r", "effectiveFrom", past))
                .post("/api/limit-sets/{p}/ALIGN/versions/1/release", product);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.jsonPath().getString("parameter")).isEqualTo("backdatingReason");
        Response released = as("it-quality").contentType(ContentType.JSON)
                .body(Map.of("reason", "r", "effectiveFrom", past, "backdatingReason", "NCR-12: lot 7 re-judged by its qualified limits"))
                .post("/api/limit-sets/{p}/ALIGN/versions/1/release", product);
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(released.jsonPath().getString("audit[1].actor")).isEqualTo("it-quality");
        assertThat(released.jsonPath().getString("audit[1].backdatingReason")).isEqualTo("NCR-12: lot 7 re-judged by its qualified limits");
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefused() {
        String product = TestVerdicts.uniqueSerial("SEC");
        Sessions.Session engineer = Sessions.as("it-engineer");
        Response withoutToken = given().noFilters().cookie("quarkus-credential", engineer.cookie()).contentType(ContentType.JSON)
                .body(Map.of("reason", "r", "limits", List.of(limit(2.0)))).post("/api/limit-sets/{p}/ALIGN/drafts", product);
        assertThat(withoutToken.statusCode()).isEqualTo(400);
        Response wrongToken = given().noFilters().cookie("quarkus-credential", engineer.cookie()).cookie("csrf-token", engineer.csrf())
                .header("X-CSRF-TOKEN", "forged").contentType(ContentType.JSON)
                .body(Map.of("reason", "r", "limits", List.of(limit(2.0)))).post("/api/limit-sets/{p}/ALIGN/drafts", product);
        assertThat(wrongToken.statusCode()).isEqualTo(400);
        assertThat(as("it-engineer").get("/api/limit-sets?product=" + product).header("X-Total-Count")).isEqualTo("0");
    }

    @Test
    void aZipBombAndAnOversizedWorkbookAreRefusedAndTheServiceStaysHealthy() throws Exception {
        String product = TestVerdicts.uniqueSerial("SEC");
        // 40 MB of zeros in one part: packs to about 40 KB
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".getBytes());
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 40; i++) {
                zip.write(zeros);
            }
        }
        assertThat(bomb.size()).isLessThan(200_000);
        Response refused = as("it-engineer").contentType(XLSX).queryParam("reason", "r").body(bomb.toByteArray())
                .post("/api/limit-sets/{p}/ALIGN/drafts", product);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.jsonPath().getString("errors[0].message")).contains("zip bomb");

        // parts each under the per-part bound, together far beyond what a limit sheet expands to
        ByteArrayOutputStream spread = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(spread)) {
            byte[] zeros = new byte[1 << 20];
            for (int part = 1; part <= 3; part++) {
                zip.putNextEntry(new ZipEntry("xl/worksheets/sheet" + part + ".xml"));
                for (int i = 0; i < 9; i++) {
                    zip.write(zeros);
                }
            }
        }
        Response spreadRefused = as("it-engineer").contentType(XLSX).queryParam("reason", "r").body(spread.toByteArray())
                .post("/api/limit-sets/{p}/ALIGN/drafts", product);
        assertThat(spreadRefused.statusCode()).isEqualTo(422);
        assertThat(spreadRefused.jsonPath().getString("errors[0].message")).contains("expands beyond 20 MiB");

        byte[] large = new byte[6 << 20];
        Response tooLarge = as("it-engineer").contentType(XLSX).queryParam("reason", "r").body(large)
                .post("/api/limit-sets/{p}/ALIGN/drafts", product);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.jsonPath().getString("detail")).contains("cpo.platform.security.max-upload-bytes");
        // beyond quarkus.http.limits.max-body-size (8 MiB) the server answers 413 and closes the connection mid-upload
        byte[] huge = new byte[9 << 20];
        try {
            assertThat(as("it-engineer").contentType(XLSX).queryParam("reason", "r").body(huge)
                    .post("/api/limit-sets/{p}/ALIGN/drafts", product).statusCode()).isEqualTo(413);
        } catch (Exception e) { // RestAssured throws the client's IOException unchecked
            assertThat(e).hasRootCauseInstanceOf(java.net.SocketException.class); // cut off before it could read the 413
        }
        assertThat(as("it-engineer").get("/api/limit-sets?product=" + product).header("X-Total-Count")).isEqualTo("0");
        assertThat(anonymous().get("/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aScreenLinkOpensTheLiveStreamOnlyUntilRevoked() throws Exception {
        Response issued = as("it-admin").contentType(ContentType.JSON).body(Map.of("name", "Line 2 entrance")).post("/api/screens");
        assertThat(issued.statusCode()).isEqualTo(201);
        String url = issued.jsonPath().getString("url");
        assertThat(url).startsWith("dashboard.html?screen=");
        String token = url.substring("dashboard.html?screen=".length());
        long id = issued.jsonPath().getLong("link.id");
        // the stream, with no session
        try (SseStream stream = new SseStream(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/api/live?screen=" + token,
                null)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !stream.events("snapshot").isEmpty());
            assertThat(stream.status()).isEqualTo(200);
        }
        assertThat(anonymous().queryParam("screen", token).get("/api/live/snapshot").statusCode()).isEqualTo(200);
        // nothing else opens with it
        assertThat(anonymous().queryParam("screen", token).get("/api/units").statusCode()).isEqualTo(401);
        assertThat(anonymous().queryParam("screen", token).get("/api/lots").statusCode()).isEqualTo(401);
        // the list never shows a token
        assertThat(as("it-admin").get("/api/screens").asString()).doesNotContain(token);
        // revoked: refused at once
        assertThat(as("it-admin").delete("/api/screens/{id}", id).statusCode()).isEqualTo(200);
        assertThat(anonymous().queryParam("screen", token).get("/api/live/snapshot").statusCode()).isEqualTo(401);
    }

    private static Map<String, Object> limit(double upper) {
        return Map.of("parameter", "coupling_loss", "upperLimit", upper, "unitOfMeasure", "dB");
    }
}
