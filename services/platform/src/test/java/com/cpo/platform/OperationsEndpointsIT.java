package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** What operators and API users rely on besides the API itself: health, readiness, metrics and the OpenAPI document. */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class OperationsEndpointsIT {

    @Test
    void healthIsUpWithDatabaseAndBroker() {
        // when
        Response response = given().get("/q/health");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("status")).isEqualTo("UP");
        assertThat(response.body().asString()).contains("Database connections health check", "SmallRye Reactive Messaging");
    }

    @Test
    void readinessCoversDatabaseBrokerAndTheDashboardFeed() {
        // when
        Response response = given().get("/q/health/ready");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("checks.name")).contains("Database connections health check",
                "SmallRye Reactive Messaging - readiness check", "dashboard-feed");
    }

    @Test
    void metricsServePrometheusTextWithTheServicesMeters() {
        // given a verdict was stored and a dashboard is connected, so every meter has a sample
        String serial = TestVerdicts.uniqueSerial("METRICS");
        try (VerdictProducer producer = new VerdictProducer(SharedInfrastructure.kafka().bootstrapServers(), Topics.VERDICTS.name());
                SseStream dashboard = new SseStream(RestAssured.baseURI + ":" + RestAssured.port + "/api/live")) {
            // (the verdict must come after the snapshot to reach the dashboard as an event of its own)
            await("dashboard connected").atMost(Duration.ofSeconds(10))
                    .until(() -> !dashboard.events("snapshot").isEmpty());
            producer.send(TestVerdicts.pass(serial, "LOT-M", 1, Instant.parse("2026-11-24T07:00:00Z")));
            await("verdict stored").atMost(Duration.ofSeconds(30))
                    .until(() -> given().get("/api/units/" + serial).statusCode() == 200);
            await("verdict pushed to the dashboard").atMost(Duration.ofSeconds(10))
                    .until(() -> dashboard.events("verdict").stream().anyMatch(e -> e.data().contains(serial)));

            // when
            Response response = given().accept("text/plain").get("/q/metrics");

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("text/plain");
            String metrics = response.body().asString();
            assertThat(metrics).contains(
                    "cpo_verdicts_stored_total{operation=\"ALIGN\",outcome=\"PASS\"",
                    "cpo_verdict_latency_seconds_bucket",
                    "cpo_verdict_latency_seconds_count",
                    "cpo_station_events_stored_total{type=\"RunStarted\"",
                    "cpo_report_jobs{state=\"queued\"", "cpo_report_jobs{state=\"running\"", "cpo_report_jobs{state=\"done\"",
                    "cpo_dashboard_events_pushed_total{type=\"verdict\"",
                    "cpo_dashboard_events_pushed_total{type=\"snapshot\"",
                    "cpo_dashboard_update_delay_seconds_bucket",
                    "kafka_consumer_fetch_manager_records_lag_max",
                    "http_server_requests_seconds_count");
            assertThat(metrics).containsPattern("(?m)^cpo_dashboard_clients(\\{[^}]*\\})? [1-9]");
        }
    }

    @Test
    void openApiDocumentsTheApi() {
        // when
        String openApi = given().get("/q/openapi").body().asString();

        // then
        assertThat(openApi).contains("/api/units/{serial}", "/api/reports/yield.xlsx", "/api/lots", "/api/yield",
                "/api/coupling-loss", "/api/limit-sets/{product}/{operation}/drafts", "/api/reports/jobs/{id}");
        // Swagger UI is for development: the packaged service (production profile) does not serve it
        assertThat(given().get("/q/swagger-ui/").statusCode()).isEqualTo(404);
    }

    /**
     * The API document in the repository ({@code docs/openapi.json}) is the one the service serves: a change to the API that
     * is not in the committed document fails here, and the message says how to take it in once reviewed.
     */
    @Test
    void theCommittedApiDocumentIsTheOneServed() throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        Object served = json.readValue(given().accept("application/json").get("/q/openapi?format=json").asString(), Object.class);
        // the identity provider's address is the running service's configuration (a test's Keycloak on a random port), not the API
        if (served instanceof java.util.Map<?, ?> root && root.get("components") instanceof java.util.Map<?, ?> components
                && components.get("securitySchemes") instanceof java.util.Map<?, ?> schemes) {
            schemes.values().forEach(scheme -> {
                if (scheme instanceof java.util.Map<?, ?> m) {
                    m.remove("openIdConnectUrl");
                }
            });
        }
        String actual = json.writeValueAsString(served) + "\n";
        java.nio.file.Path written = java.nio.file.Path.of("target", "openapi.json");
        java.nio.file.Files.writeString(written, actual);
        java.nio.file.Path committed = java.nio.file.Path.of("..", "..", "docs", "openapi.json");
        String expected = java.nio.file.Files.exists(committed) ? java.nio.file.Files.readString(committed) : "";
        assertThat(actual).as("docs/openapi.json is not the API the service serves. Review the change (diff docs/openapi.json "
                + "services/platform/target/openapi.json) and commit it: cp services/platform/target/openapi.json docs/openapi.json")
                .isEqualTo(expected);
        // and every operation of the API documents its errors: a 4xx problem+json response with an example
        com.fasterxml.jackson.databind.JsonNode paths = json.valueToTree(served).path("paths");
        java.util.List<String> undocumented = new java.util.ArrayList<>();
        paths.fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
            boolean documented = false;
            for (java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> r = op.getValue().path("responses")
                    .fields(); r.hasNext();) {
                var response = r.next();
                documented |= response.getKey().startsWith("4")
                        && !response.getValue().path("content").path("application/problem+json").path("examples").isEmpty();
            }
            if (p.getKey().startsWith("/api/") && !com.cpo.platform.rest.ProblemResponsesFilter.PUBLIC.contains(p.getKey()) && !documented) {
                undocumented.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
            }
        }));
        assertThat(undocumented).as("operations without a documented error").isEmpty();
    }
}
