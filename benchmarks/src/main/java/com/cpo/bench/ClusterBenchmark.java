package com.cpo.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.cpo.launcher.ProjectRoot;
import com.cpo.systemtest.containers.ContainerFaultRun;
import com.cpo.systemtest.containers.ContainerLine;

/**
 * {@code ./benchmarks/run cluster}: the production shape, run. First {@code docker/compose.yaml} itself: brought up
 * ({@code docker-compose}), timed until the one address answers ready and the simulated station has its first verdict
 * file, then taken down with its volumes. Then the same images and settings under Testcontainers
 * ({@code ContainerFaultRun}): {@code bench.units} units (600) at {@code bench.units-per-minute} (120) through one station,
 * a broker leader killed, a broker cut off the network, an analytics instance and a service instance killed mid-stream,
 * and the ledger. Ends with {@code units}, {@code verdicts_stored}, {@code lost}, {@code duplicated},
 * {@code analytics_failover_s} and {@code broker_failover_s}.
 */
final class ClusterBenchmark {

    private ClusterBenchmark() {
    }

    static void run() throws Exception {
        Path root = ProjectRoot.find();
        List<String> figures = new ArrayList<>();
        String missing = ContainerLine.engineMissing();
        if (missing != null) {
            throw new IllegalStateException(missing + ": run docker/images/build first (it installs and starts the engine)");
        }
        exec(root, Duration.ofMinutes(15), "docker/images/build");
        String sizes = exec(root, Duration.ofMinutes(1), "docker", "images", "--format", "{{.Repository}} {{.Size}}");
        for (String line : sizes.split("\n")) {
            if (line.startsWith("cpo/")) {
                figures.add("image_" + line.substring(4, line.indexOf(' ')).replace('-', '_') + ": " + line.substring(line.indexOf(' ') + 1));
            }
        }
        if (!Boolean.getBoolean("bench.cluster.skip-compose")) {
            figures.add(String.format(Locale.ROOT, "compose_first_verdict_s: %.0f", compose(root)));
        }
        int units = Integer.getInteger("bench.units", 600);
        double perMinute = Double.parseDouble(System.getProperty("bench.units-per-minute", "120"));
        Path work = Files.createDirectories(Path.of("target/cluster").toAbsolutePath());
        ContainerFaultRun.Result r = ContainerFaultRun.run(root, Files.createTempDirectory(work, "run-"), Long.getLong("bench.seed", 20261129L), units,
                perMinute, Duration.ofMinutes(10));
        r.proof().forEach(p -> System.err.println("fault: " + p));
        r.problems().forEach(p -> System.err.println("PROBLEM: " + p));
        r.report().examples().forEach(e -> System.err.println("ledger: " + e));
        figures.forEach(System.out::println);
        System.out.println("units: " + units);
        System.out.println("runs: " + r.report().runs());
        System.out.println("events_written: " + r.report().eventsWritten());
        System.out.println("fault_checks_failed: " + r.problems().size());
        System.out.println("service_requests_failed: " + r.serviceRequestsFailed());
        System.out.println("run_s: " + Math.round(r.seconds()));
        System.out.println("verdicts_stored: " + r.report().runsStored());
        System.out.println("lost: " + r.report().lost());
        System.out.println("duplicated: " + r.report().duplicated());
        System.out.println(String.format(Locale.ROOT, "analytics_failover_s: %.1f", r.analyticsFailoverSeconds()));
        System.out.println(String.format(Locale.ROOT, "broker_failover_s: %.1f", r.brokerFailoverSeconds()));
    }

    /** Brings docker/compose.yaml up, times it to the first verdict file of the simulated station, takes it down. */
    private static double compose(Path root) throws Exception {
        List<String> compose = List.of("docker-compose", "-p", "cpo-bench", "-f", "docker/compose.yaml");
        long started = System.nanoTime();
        try {
            exec(root, Duration.ofMinutes(10), concat(compose, "up", "-d"));
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            boolean ready = false;
            boolean verdict = false;
            while (!(ready && verdict) && System.nanoTime() < deadline) {
                Thread.sleep(2000);
                try {
                    ready = ready || http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/q/health/ready")).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    ready = false;
                }
                verdict = verdict || exec(root, Duration.ofSeconds(30), concat(compose, "exec", "-T", "station-aa-01", "bash", "-c",
                        "ls /var/lib/cpo/input | grep -c '\\.verdict$' || true")).trim().matches("[1-9][0-9]*");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.err.printf("compose: ready %s, first verdict %s, after %.0f s%n", ready, verdict, seconds);
            if (!ready || !verdict) {
                throw new IllegalStateException("docker/compose.yaml did not come up within 10 minutes (ready " + ready + ", verdict " + verdict
                        + "): " + exec(root, Duration.ofMinutes(1), concat(compose, "ps")));
            }
            return seconds;
        } finally {
            exec(root, Duration.ofMinutes(5), concat(compose, "down", "-v"));
        }
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static String exec(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }
}
