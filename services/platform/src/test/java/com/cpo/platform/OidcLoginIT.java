package com.cpo.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * OpenID Connect against a real provider (Keycloak, {@link KeycloakResource}): a person of the plant logs in with the
 * provider's own login form (authorization code flow), their groups become roles, and four eyes hold across accounts of
 * the provider. Driven as a browser would, with a cookie jar and every redirect followed by hand.
 */
@QuarkusIntegrationTest
@WithTestResource(value = KeycloakResource.class, scope = io.quarkus.test.common.TestResourceScope.RESTRICTED_TO_CLASS)
class OidcLoginIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A browser: cookies kept, redirects followed one by one. Its cookie jar is by name only: the provider and the service
     * are both on 127.0.0.1 and their cookies have different names; Keycloak marks its own Secure, which a browser sends
     * to http://127.0.0.1 (a secure context) and java.net's cookie manager would not.
     */
    private static final class Browser {
        final Map<String, String> cookies = new LinkedHashMap<>();
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> get(String url) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)));
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("set-cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                boolean expired = set.toLowerCase(java.util.Locale.ROOT).contains("max-age=0") || value.isEmpty();
                if (expired) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return r;
        }

        /** GET, then every redirect, until an answer that is not one; the last answer. */
        HttpResponse<String> follow(String url) throws Exception {
            HttpResponse<String> r = get(url);
            for (int i = 0; i < 10 && r.statusCode() / 100 == 3; i++) {
                r = get(r.uri().resolve(r.headers().firstValue("Location").orElseThrow()).toString());
            }
            return r;
        }

        HttpResponse<String> send(String method, String url, String json) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .header("X-CSRF-TOKEN", cookies.getOrDefault("csrf-token", ""))
                    .method(method, HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(60)));
        }

        HttpResponse<String> postForm(String url, String form) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(60)));
        }
    }

    private static String service() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    /** Logs in through the provider's login form and returns to the service's dashboard. */
    private static Browser logIn(String user, String password) throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> form = browser.follow(service() + "/login/oidc?next=dashboard.html");
        assertThat(form.uri().toString()).as("the provider's login page").contains("/realms/" + KeycloakResource.REALM + "/");
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(form.body());
        assertThat(action.find()).as("Keycloak's login form").isTrue();
        String post = action.group(1).replace("&amp;", "&");
        String body = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&credentialId=";
        HttpResponse<String> back = browser.postForm(post, body);
        assertThat(back.statusCode()).as("the provider sends the browser back with a code").isEqualTo(302);
        HttpResponse<String> landed = browser.follow(back.headers().firstValue("Location").orElseThrow());
        assertThat(landed.uri().getPath()).isEqualTo("/dashboard.html");
        assertThat(landed.statusCode()).isEqualTo(200);
        return browser;
    }

    @Test
    void aPlantAccountLogsInWithTheProviderAndItsGroupsAreRoles() throws Exception {
        assertThat(new Browser().get(service() + "/api/login-options").body()).contains("\"openIdConnect\":true");
        Browser alice = logIn("alice", "alice-password");
        JsonNode me = JSON.readTree(alice.get(service() + "/api/me").body());
        assertThat(me.path("user").asText()).isEqualTo("alice");
        assertThat(me.path("roles").toString()).contains("engineer").contains("viewer").doesNotContain("quality");

        // alice (cpo-engineers) drafts; she may not release; bob (cpo-quality) releases: the audit names both logins
        String product = TestVerdicts.uniqueSerial("OIDC");
        HttpResponse<String> drafted = alice.send("POST", service() + "/api/limit-sets/" + product + "/ALIGN/drafts",
                "{\"reason\":\"ECO-9\",\"limits\":[{\"parameter\":\"coupling_loss\",\"upperLimit\":2.0,\"unitOfMeasure\":\"dB\"}]}");
        assertThat(drafted.statusCode()).as(drafted.body()).isEqualTo(201);
        assertThat(alice.send("POST", service() + "/api/limit-sets/" + product + "/ALIGN/versions/1/release", "{\"reason\":\"mine\"}")
                .statusCode()).isEqualTo(403);
        Browser bob = logIn("bob", "bob-password");
        bob.get(service() + "/api/me"); // the CSRF cookie
        HttpResponse<String> released = bob.send("POST", service() + "/api/limit-sets/" + product + "/ALIGN/versions/1/release",
                "{\"reason\":\"qualified\"}");
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        JsonNode set = JSON.readTree(released.body());
        assertThat(set.path("audit").get(0).path("actor").asText()).isEqualTo("alice");
        assertThat(set.path("audit").get(1).path("actor").asText()).isEqualTo("bob");
    }

    @Test
    void aWrongPasswordStaysAtTheProvider() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> form = browser.follow(service() + "/login/oidc");
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(form.body());
        assertThat(action.find()).isTrue();
        HttpResponse<String> refused = browser.postForm(action.group(1).replace("&amp;", "&"), "username=alice&password=wrong&credentialId=");
        assertThat(refused.statusCode()).isEqualTo(200); // the login form again, with its error
        assertThat(refused.body()).contains("kc-form-login");
        assertThat(browser.get(service() + "/api/me").statusCode()).isEqualTo(401);
    }
}
