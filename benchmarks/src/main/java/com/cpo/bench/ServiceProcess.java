package com.cpo.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;
import com.cpo.embedded.FreePorts;

/** The packaged platform service ({@code services/platform/target/quarkus-app}) as its own JVM, for a benchmark. */
final class ServiceProcess implements AutoCloseable {

    private static final String PASSWORD_FILE_KEY = "-Dcpo.platform.security.admin-password-file=";
    private final Process process;
    private final Path log;
    private final String url;
    private final Path adminPasswordFile;
    private com.cpo.launcher.ServiceSession session;

    private ServiceProcess(Process process, Path log, String url, Path adminPasswordFile) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.adminPasswordFile = adminPasswordFile;
    }

    /** The packaged service's jar (or {@code -Dbench.service.jar}, e.g. a copy while the module is rebuilt); fails when it is not built. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("bench.service.jar", "../services/platform/target/quarkus-app/quarkus-run.jar")).toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the service is not built: " + jar);
        }
        return jar;
    }

    /**
     * Starts the service on a free port against the broker and database, its output in {@code work/<name>.log}, and waits
     * until it is ready (up to {@code timeout}); on failure the log's tail is shown.
     *
     * @param jvmOptions e.g. -Xmx256m; system properties (-Dkey=value) override the service's configuration; the first
     *        administrator's password goes to {@code work/secrets/admin-password} unless they name another file
     */
    static ServiceProcess start(Path work, String name, EmbeddedKafka kafka, EmbeddedPostgresServer postgres, List<String> jvmOptions,
            Duration timeout) throws Exception {
        Files.createDirectories(work.resolve("tmp"));
        int port = FreePorts.find();
        Path log = work.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.net.preferIPv4Stack=true"));
        command.addAll(jvmOptions);
        Path passwordFile = jvmOptions.stream().filter(o -> o.startsWith(PASSWORD_FILE_KEY)).map(o -> Path.of(o.substring(PASSWORD_FILE_KEY.length())))
                .findFirst().orElse(work.resolve("secrets").resolve("admin-password"));
        command.add(PASSWORD_FILE_KEY + passwordFile);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(),
                "-Dquarkus.datasource.username=" + postgres.user(),
                "-Dquarkus.datasource.password=" + postgres.password(),
                "-Djava.io.tmpdir=" + work.resolve("tmp"),
                "-jar", jar().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        ServiceProcess service = new ServiceProcess(process, log, "http://127.0.0.1:" + port, passwordFile);
        try {
            service.awaitReady(timeout);
        } catch (Exception e) {
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
            service.close();
            throw e;
        }
        return service;
    }

    String url() {
        return url;
    }

    /** The first administrator's session (logged in on first use, again every 20 minutes: sessions end after 30 idle). */
    synchronized com.cpo.launcher.ServiceSession session() {
        if (session == null || session.olderThan(Duration.ofMinutes(20))) {
            session = com.cpo.launcher.ServiceSession.login(url, "admin", adminPasswordFile);
        }
        return session;
    }

    Path log() {
        return log;
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited during start-up (exit " + process.exitValue() + ")");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("the service was not ready within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
