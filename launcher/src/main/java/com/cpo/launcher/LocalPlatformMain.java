package com.cpo.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.cpo.simulator.SimulatedRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The run command: the whole platform with a simulated line, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Starts broker, database, analytics, service, station agents and simulated testers on embedded defaults.")
public final class LocalPlatformMain implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the service; 0 for a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--stations", defaultValue = "1", description = "Simulated alignment stations. Default: ${DEFAULT-VALUE}.")
    int stations;

    @Option(names = "--units-per-minute", defaultValue = "30", description = "Units each simulated station tests per minute. Default: ${DEFAULT-VALUE}.")
    double unitsPerMinute;

    @Option(names = "--racks", defaultValue = "1", description = "Simulated burn-in racks (8 slots x 8 channels). Default: ${DEFAULT-VALUE}.")
    int racks;

    @Option(names = "--burnin-speedup", defaultValue = "720",
            description = "Simulated burn-in seconds per real second; 720 plays a 24 h burn-in in 2 minutes. Default: ${DEFAULT-VALUE}.")
    double burnInSpeedup;

    @Option(names = "--seed", defaultValue = "2026", description = "Simulator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--work-dir", description = "Where broker, database, tester folders and logs live. Default: target/run/<timestamp>.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Path root = ProjectRoot.find();
        Path work = workDir != null ? workDir
                : root.resolve("target/run").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        long started = System.nanoTime();
        System.out.println("Starting the CPO test & yield platform in " + work + " ...");
        LocalPlatform platform = LocalPlatform.start(new LocalPlatform.Options(root, work, port, seed, stations, unitsPerMinute, null, null,
                racks, burnInSpeedup));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping ...");
            platform.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "stop-platform"));
        String url = platform.serviceUrl();
        System.out.printf("%nPlatform up in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        System.out.println("  Dashboard      " + platform.dashboardUrl() + "   (live: yield, coupling loss, burn-in, failures)");
        System.out.println("  Service        " + url + "   (health " + url + "/q/health, metrics " + url + "/q/metrics, API document "
                + url + "/q/openapi)");
        System.out.println("  Log in         " + url + "/login.html as admin, password in " + platform.adminPasswordFile()
                + " (readable by you only; create the engineers' accounts, then change it)");
        System.out.println("  Pages          " + url + "/lot.html (lots), /reports.html (reports, scheduled too), /limits.html (limit sets); "
                + "every page has a search box for a serial or a lot");
        System.out.println("  Yield workbook " + url + "/api/reports/yield.xlsx");
        System.out.println("  Live figures   " + platform.analyticsUrl() + "/yield?dimension=LOT, /statistics, /burnin (analytics queries)");
        System.out.println("  Kafka          " + platform.bootstrapServers() + (platform.kafkaClientConfigs().isEmpty() ? ""
                : "   (SASL/SCRAM-SHA-512, ACLs; each user's client settings in " + work.resolve("secrets") + "/kafka-<user>.properties)"));
        System.out.println("  PostgreSQL     " + platform.postgres().jdbcUrl() + " (user postgres)");
        System.out.println("  Tester folders " + work.resolve("stations") + ", logs " + work.resolve("logs"));
        System.out.println("Simulated line streaming; Ctrl-C stops everything.");
        boolean announced = false;
        while (stopped.getCount() > 0) {
            if (!announced && !platform.written().isEmpty()) {
                SimulatedRun first = platform.written().get(0);
                System.out.println("  First unit     " + url + "/unit.html?serial=" + first.serial() + "   (as JSON: " + url + "/api/units/"
                        + first.serial() + ")");
                announced = true;
            }
            if (stopped.await(announced ? 60 : 1, java.util.concurrent.TimeUnit.SECONDS)) {
                break;
            }
            if (announced) {
                System.out.println(platform.written().size() + " runs written; memory: " + String.join(" | ", platform.processReport()));
            }
        }
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new LocalPlatformMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
