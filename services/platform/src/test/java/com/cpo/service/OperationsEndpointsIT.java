package com.cpo.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;

/** What operators and API users rely on besides the API itself: health and the OpenAPI document. */
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
    void openApiDocumentsTheApi() {
        // when
        String openApi = given().get("/q/openapi").body().asString();

        // then
        assertThat(openApi).contains("/api/units/{serial}", "/api/reports/yield.xlsx", "/api/lots", "/api/yield",
                "/api/coupling-loss", "/api/limit-sets/{product}/{operation}/drafts", "/api/reports/jobs/{id}");
        assertThat(given().get("/q/swagger-ui/").statusCode()).isEqualTo(200);
    }
}
