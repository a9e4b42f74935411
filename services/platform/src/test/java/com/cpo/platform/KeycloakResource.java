package com.cpo.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.cpo.embedded.FreePorts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real OpenID provider for the service's OpenID Connect login: Keycloak's own distribution (Maven Central, unpacked by
 * the build into {@code target/keycloak}) started in dev mode on 127.0.0.1 with the realm {@code plant}
 * ({@code src/test/resources/keycloak/plant-realm.json}: client {@code cpo-platform}, groups {@code cpo-engineers} and
 * {@code cpo-quality}, users alice and bob). Keycloak 26.7 needs a JDK 21 or later: {@code CPO_JAVA21_HOME}, else the
 * newest JDK under {@code /usr/lib/jvm} (the machines have Temurin 25 beside the JDK 17 the project builds with).
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    static final String REALM = "plant";
    private Process keycloak;

    @Override
    public Map<String, String> start() {
        Path home = Path.of(System.getProperty("cpo.keycloak.home", "target/keycloak/keycloak-26.7.3")).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak is not unpacked at " + home + " (the build's pre-integration-test phase does it)");
        }
        Path java = javaHome();
        int port = FreePorts.find();
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (InputStream realm = KeycloakResource.class.getResourceAsStream("/keycloak/plant-realm.json")) {
                Files.copy(realm, imports.resolve("plant-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--http-port=" + port,
                    "--http-host=127.0.0.1", "--import-realm", "--http-management-port=" + FreePorts.find())
                    .redirectErrorStream(true).redirectOutput(Path.of("target/keycloak.log").toFile());
            builder.environment().put("JAVA_HOME", java.toString());
            builder.environment().put("JAVA_OPTS_APPEND", "-Xmx512m");
            keycloak = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        }
        String issuer = "http://127.0.0.1:" + port + "/realms/" + REALM;
        awaitDiscovery(issuer, Duration.ofMinutes(4));
        Map<String, String> config = new HashMap<>(new RealInfrastructureResource().start());
        config.put("quarkus.oidc.tenant-enabled", "true");
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.client-id", "cpo-platform");
        config.put("quarkus.oidc.credentials.secret", "cpo-platform-secret");
        return config;
    }

    /** A JDK 21 or later: CPO_JAVA21_HOME, else the newest under /usr/lib/jvm. */
    static Path javaHome() {
        String configured = System.getenv("CPO_JAVA21_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            Optional<Path> newest = jdks.filter(p -> Files.isExecutable(p.resolve("bin/java"))).filter(p -> version(p) >= 21)
                    .max(java.util.Comparator.comparingInt(KeycloakResource::version));
            return newest.orElseThrow(() -> new IllegalStateException("Keycloak 26.7 needs a JDK 21 or later: none under /usr/lib/jvm; "
                    + "install one (e.g. apt-get install openjdk-21-jdk-headless where available) or set CPO_JAVA21_HOME"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for a JDK 21 under /usr/lib/jvm", e);
        }
    }

    private static int version(Path jdk) {
        try {
            List<String> release = Files.readAllLines(jdk.resolve("release"));
            for (String line : release) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a JDK with a release file
        }
        return 0;
    }

    private void awaitDiscovery(String issuer, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration")).build();
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                    .failFast("Keycloak exited during start-up; see target/keycloak.log", () -> !keycloak.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (RuntimeException e) {
            stop();
            throw new IllegalStateException("Keycloak did not answer at " + issuer + " within " + timeout + "; see target/keycloak.log", e);
        }
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            // kc.sh starts the JVM as its child: remember the whole tree before anything ends, then end all of it
            List<ProcessHandle> tree = new java.util.ArrayList<>(keycloak.descendants().toList());
            tree.forEach(ProcessHandle::destroy);
            keycloak.destroy();
            try {
                keycloak.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                for (ProcessHandle p : tree) {
                    p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // forced below
            }
            tree.forEach(ProcessHandle::destroyForcibly);
            keycloak.destroyForcibly();
        }
    }
}
