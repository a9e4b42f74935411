package com.cpo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A logged-in session on the service, for programs that call its REST API (tests, benchmarks, scripts): logs in through
 * {@code /j_security_check} as a person does, keeps the session cookie and the CSRF token, and puts both on each request.
 */
public final class ServiceSession {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String user;
    private final String cookie;
    private final String csrf;
    private final long loggedInNanos = System.nanoTime();

    private ServiceSession(String baseUrl, String user, String cookie, String csrf) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.cookie = cookie;
        this.csrf = csrf;
    }

    /**
     * Whether the session is older than {@code age}: the service ends a session 30 minutes after its cookie was last
     * renewed, and this client does not take renewed cookies, so a long-running program logs in again before that.
     */
    public boolean olderThan(Duration age) {
        return System.nanoTime() - loggedInNanos > age.toNanos();
    }

    /** Logs in as {@code user}; the password is read from {@code passwordFile} (the first administrator's, say). */
    public static ServiceSession login(String baseUrl, String user, Path passwordFile) {
        try {
            return login(baseUrl, user, Files.readString(passwordFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password of " + user + " from " + passwordFile, e);
        }
    }

    /** Logs in as {@code user}. */
    public static ServiceSession login(String baseUrl, String user, String password) {
        String base = baseUrl.replaceAll("/+$", "");
        try {
            String form = "j_username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&j_password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8);
            HttpResponse<Void> login = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
            String cookie = cookie(login.headers().allValues("set-cookie"), "quarkus-credential")
                    .orElseThrow(() -> new IllegalStateException("login of " + user + " on " + base + " answered " + login.statusCode()));
            HttpResponse<Void> me = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/me")).header("Cookie", "quarkus-credential=" + cookie)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
            String csrf = cookie(me.headers().allValues("set-cookie"), "csrf-token")
                    .orElseThrow(() -> new IllegalStateException("/api/me for " + user + " answered " + me.statusCode() + " without a CSRF token"));
            return new ServiceSession(base, user, cookie, csrf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot log in to " + base + " as " + user, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> cookie(List<String> setCookies, String name) {
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).map(c -> c.substring(name.length() + 1).split(";", 2)[0])
                .filter(v -> !v.isEmpty()).findFirst();
    }

    public String user() {
        return user;
    }

    /** The session cookie's value (for a browser or an SSE client). */
    public String cookie() {
        return cookie;
    }

    /** A request to {@code pathOrUrl} (a path of the service, or a whole URL) with the session and the CSRF token. */
    public HttpRequest.Builder request(String pathOrUrl) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl;
        return HttpRequest.newBuilder(URI.create(url)).header("Cookie", "quarkus-credential=" + cookie + "; csrf-token=" + csrf)
                .header("X-CSRF-TOKEN", csrf);
    }

    /** GET, the body as text; any status. */
    public HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        return HTTP.send(request(pathOrUrl).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST a JSON body; any status. */
    public HttpResponse<String> postJson(String pathOrUrl, String json) throws IOException, InterruptedException {
        return HTTP.send(request(pathOrUrl).header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
