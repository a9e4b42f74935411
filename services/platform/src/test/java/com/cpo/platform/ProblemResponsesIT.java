package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Every error of the API is an RFC 9457 problem+json document. */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class ProblemResponsesIT {

    @Test
    void unknownSerialIsA404ProblemNamingTheSerial() {
        // given
        String serial = TestVerdicts.uniqueSerial("NEVER-SEEN");

        // when
        Response response = given().accept("application/json").get("/api/units/{serial}", serial);

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("type")).isEqualTo("urn:cpo:problem:unit-not-found");
        assertThat(problem.getString("title")).isEqualTo("Unit not found");
        assertThat(problem.getInt("status")).isEqualTo(404);
        assertThat(problem.getString("detail")).contains(serial);
        assertThat(problem.getString("instance")).isEqualTo("/api/units/" + serial);
    }

    @Test
    void overlongSerialIsA400ProblemSayingWhy() {
        // given
        String serial = "S".repeat(129);

        // when
        Response response = given().get("/api/units/{serial}", serial);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("detail")).startsWith("serial ").contains("128");
    }

    @Test
    void unknownOperationIsA400ProblemListingTheKnownOnes() {
        // when
        Response response = given().queryParam("operation", "PAINT").get("/api/reports/yield.xlsx");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("detail")).contains("PAINT", "ALIGN", "BURNIN");
    }

    @Test
    void unknownPathIsA404Problem() {
        // when
        Response response = given().get("/api/no-such-thing");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(404);
    }

    @Test
    void timeRangeThatIsNotAnInstantIsA400ProblemNamingTheParameter() {
        // when
        Response response = given().queryParam("from", "last monday").get("/api/yield");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("parameter")).isEqualTo("from");
        assertThat(response.jsonPath().getString("detail")).contains("last monday", "ISO-8601");
    }

    @Test
    void pageSizeOutOfRangeIsA400ProblemNamingTheParameter() {
        // when
        Response response = given().queryParam("size", 0).get("/api/lots");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("parameter")).isEqualTo("size");
        assertThat(response.jsonPath().getList("errors.parameter", String.class)).containsExactly("size");
    }

    @Test
    void unknownGroupingAndStepAreA400ProblemsNamingTheParameter() {
        // when
        Response groupBy = given().queryParam("groupBy", "moon-phase").get("/api/yield");
        Response step = given().queryParam("step", "POST_GLUE").get("/api/coupling-loss");

        // then
        assertThat(groupBy.statusCode()).isEqualTo(400);
        assertThat(groupBy.jsonPath().getString("parameter")).isEqualTo("groupBy");
        assertThat(step.statusCode()).isEqualTo(400);
        assertThat(step.jsonPath().getString("parameter")).isEqualTo("step");
    }

    @Test
    void unknownLimitSetVersionIsA404Problem() {
        // when
        Response response = given().get("/api/limit-sets/NO-SUCH-PRODUCT/ALIGN/versions/7");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("detail")).contains("NO-SUCH-PRODUCT/ALIGN", "7");
    }

    @Test
    void malformedJsonBodyIsA400Problem() {
        // when
        Response response = given().contentType("application/json").body("{\"author\": ")
                .post("/api/limit-sets/P/ALIGN/drafts");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void unknownReportJobIsA404Problem() {
        // when
        Response response = given().get("/api/reports/jobs/{id}", "no-such-job");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }
}
