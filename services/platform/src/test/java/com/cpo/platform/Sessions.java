package com.cpo.platform;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.restassured.specification.RequestSpecification;

/**
 * Logged-in sessions for the integration tests, made the way a person makes them: the first administrator logs in with
 * the password the service generated at its first start (read from its file), creates the accounts the tests need
 * through {@code /api/users}, and each account logs in through {@code /j_security_check}. {@link DefaultSession} gives
 * every request that carries no session of its own the session of {@link #EVERY_ROLE}, with the CSRF token.
 */
public final class Sessions {

    /** Where the service on the shared test database writes its first administrator's password (RealInfrastructureResource). */
    public static final Path ADMIN_PASSWORD_FILE = Path.of("target/it-secrets/platform-admin-password").toAbsolutePath();
    /** The file of the database the service under test uses now: a test resource with a database of its own sets another. */
    private static volatile Path adminPasswordFile = ADMIN_PASSWORD_FILE;
    /** An account with every role of a person: what the tests written before logins existed act as. */
    public static final String EVERY_ROLE = "it-all";
    private static final Map<String, String> ROLES = Map.of(EVERY_ROLE, "viewer,engineer,quality,admin", "it-viewer", "viewer",
            "it-engineer", "engineer", "it-quality", "quality", "it-quality-2", "quality", "it-admin", "admin");
    private static final Map<String, String> PASSWORDS = new ConcurrentHashMap<>();
    private static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();

    private Sessions() {
    }

    /** A session's cookie and CSRF token. */
    public record Session(String user, String cookie, String csrf) {

        /** A request as this user: the session cookie, the CSRF cookie and header. */
        public RequestSpecification spec() {
            return given().noFilters().cookie("quarkus-credential", cookie).cookie("csrf-token", csrf).header("X-CSRF-TOKEN", csrf);
        }
    }

    /** A logged-in session of one of the test accounts ({@code it-all}, {@code it-viewer}, {@code it-engineer}, {@code it-quality}, {@code it-quality-2}, {@code it-admin}). */
    public static synchronized Session as(String user) {
        String key = adminPasswordFile + "|" + user + "@" + io.restassured.RestAssured.port;
        Session session = SESSIONS.get(key);
        if (session == null) {
            String password = PASSWORDS.computeIfAbsent(adminPasswordFile + "|" + user, k -> provision(user));
            session = login(user, password);
            SESSIONS.put(key, session);
        }
        return session;
    }

    /** Logs in and fetches a CSRF token; the answer to the login is checked. */
    public static Session login(String user, String password) {
        Response login = given().noFilters().contentType("application/x-www-form-urlencoded").formParam("j_username", user)
                .formParam("j_password", password).post("/j_security_check");
        if (login.statusCode() != 200 || login.cookie("quarkus-credential") == null) {
            throw new IllegalStateException("login of " + user + " answered " + login.statusCode());
        }
        String cookie = login.cookie("quarkus-credential");
        Response me = given().noFilters().cookie("quarkus-credential", cookie).get("/api/me");
        if (me.statusCode() != 200 || me.cookie("csrf-token") == null) {
            throw new IllegalStateException("/api/me for " + user + " answered " + me.statusCode() + " without a csrf-token cookie");
        }
        return new Session(user, cookie, me.cookie("csrf-token"));
    }

    private static String provision(String user) {
        String roles = ROLES.get(user);
        if (roles == null) {
            throw new IllegalArgumentException("no test account " + user);
        }
        Session admin = login("admin", adminPassword());
        Response created = admin.spec().contentType("application/json").body(Map.of("username", user, "roles", roles)).post("/api/users");
        if (created.statusCode() == 201) {
            return created.jsonPath().getString("password");
        }
        // made by an earlier test class on this database: a new password
        Response reset = admin.spec().post("/api/users/" + user + "/password");
        if (reset.statusCode() != 200) {
            throw new IllegalStateException("cannot provision " + user + ": " + created.statusCode() + " " + created.asString() + " / " + reset.statusCode());
        }
        return reset.jsonPath().getString("password");
    }

    /** The generated password of the first administrator. */
    public static String adminPassword() {
        try {
            return Files.readString(adminPasswordFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the service did not write its first administrator's password to " + adminPasswordFile, e);
        }
    }

    /** A test resource whose service uses a database of its own names where that service writes its administrator's password. */
    public static synchronized void useAdminPasswordFile(Path file) {
        if (!file.equals(adminPasswordFile)) {
            SESSIONS.clear(); // sessions of another database's accounts
        }
        adminPasswordFile = file;
    }

    /** Gives a request without a session cookie of its own the session of {@link #EVERY_ROLE}. */
    public static final class DefaultSession implements Filter {

        @Override
        public io.restassured.response.Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            boolean own = request.getCookies().hasCookieWithName("quarkus-credential") || request.getURI().contains("/j_security_check")
                    || request.getURI().contains("/q/");
            if (!own) {
                Session session = as(EVERY_ROLE);
                request.cookie("quarkus-credential", session.cookie()).cookie("csrf-token", session.csrf()).header("X-CSRF-TOKEN", session.csrf());
            }
            return context.next(request, response);
        }
    }
}
