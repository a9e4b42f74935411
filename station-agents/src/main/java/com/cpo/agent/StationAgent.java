package com.cpo.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station agent: takes what the tester writes into a durable local spool ({@link Intake},
 * {@link Spool}), sends the spool to Kafka and forgets an event only once Kafka acknowledged it
 * ({@link Publisher}), writes the verdicts for its station back where the tester picks them up
 * ({@link VerdictFollower}), and tells how it is doing on a localhost status endpoint
 * ({@link StatusServer}).
 *
 * <p>Every part survives being killed at any instant: input is taken only with its source position,
 * events leave the spool only after their acknowledgement, and a re-read source yields the same event
 * ids, so the worst a crash does is send an event twice with the same id.
 */
public final class StationAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StationAgent.class);
    private static final long PROGRESS_EVERY_MS = 10_000;
    private static final long BACKLOG_EVENTS = 10_000;

    private final AgentConfig config;
    private final Spool spool;
    private static final String CONCERN_INTAKE = "intake";
    private final Health health = new Health();
    private final AgentMetrics metrics;
    private final Intake intake;
    private final Publisher publisher;
    private final VerdictFollower verdicts;
    private final StatusServer status;
    private final ScheduledExecutorService ticker;
    private final Thread publisherThread;
    private final Thread verdictThread;
    private volatile boolean running = true;
    private volatile Thread runner;
    private long lastProgressMs;

    public StationAgent(AgentConfig config) {
        this.config = config;
        try {
            Files.createDirectories(config.inputDir());
            Files.createDirectories(config.archiveDir());
            Files.createDirectories(config.quarantineDir());
            Files.createDirectories(config.spoolDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent's folders", e);
        }
        this.spool = Spool.open(config.spoolDir());
        this.metrics = new AgentMetrics(config.station());
        metrics.gauges(config.station(), spool, () -> oldestUnsentAgeMs() / 1000.0, health);
        this.publisher = new Publisher(config, spool, health, metrics);
        this.intake = new Intake(config, spool, health, metrics, publisher::wake);
        this.verdicts = config.verdictsDir() == null ? null : new VerdictFollower(config, spool, metrics);
        if (spool.depth() > 0) {
            LOG.info("spool {} holds {} unsent events from before; sending them first", config.spoolDir(), spool.depth());
        }
        if (config.statusPort() >= 0) {
            status = new StatusServer(config.statusHost(), config.statusPort(), health, this::status, metrics);
            writeStatusUrl();
        } else {
            status = null;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        publisherThread = new Thread(publisher, "publisher-" + config.station());
        publisherThread.start();
        if (verdicts != null) {
            verdictThread = new Thread(verdicts, "verdicts-" + config.station());
            verdictThread.start();
        } else {
            verdictThread = null;
        }
    }

    private void writeStatusUrl() {
        try {
            Files.writeString(config.spoolDir().resolve("status-url"), "http://" + config.statusHost() + ":" + status.port() + "/\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("cannot write status-url: {}", e.toString());
        }
        LOG.info("status on http://{}:{}/health, /status, /metrics", config.statusHost(), status.port());
    }

    private void tick() {
        try {
            metrics.tick();
            if (spool.corrupt() > 0) {
                health.set("spool-corrupt", spool.corrupt() + " spooled events failed their block checksum and were set aside (table "
                        + "corrupt_events in " + config.spoolDir().resolve(Spool.FILE_NAME) + ", with the first event id of each block); "
                        + "their source lines must be re-sent by hand");
            }
            long now = System.currentTimeMillis();
            if (spool.depth() >= BACKLOG_EVENTS && now - lastProgressMs >= PROGRESS_EVERY_MS) {
                lastProgressMs = now;
                double rate = metrics.eventsPerSecond();
                LOG.info("draining backlog: {} events unsent (oldest {} s), {} events/s{}", spool.depth(), oldestUnsentAgeMs() / 1000,
                        Math.round(rate), rate > 0 ? String.format(", about %d s to go", Math.round(spool.depth() / rate)) : "");
            }
        } catch (RuntimeException e) {
            LOG.debug("tick: {}", e.toString());
        }
    }

    long oldestUnsentAgeMs() {
        long oldest = spool.oldestSpooledMs();
        return oldest < 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }

    /** What {@code /status} shows. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("station", config.station());
        s.put("healthy", health.healthy());
        s.put("reasons", new LinkedHashMap<String, Object>(health.reasons()));
        s.put("spoolDepthEvents", spool.depth());
        s.put("spoolPayloadBytes", spool.payloadBytes());
        s.put("spoolQuotaBytes", config.spoolMaxBytes());
        s.put("oldestUnsentAgeMs", oldestUnsentAgeMs());
        s.put("eventsPerSecond", Math.round(metrics.eventsPerSecond() * 10) / 10.0);
        s.put("eventsAcknowledged", metrics.ackedTotal());
        s.put("corruptSpoolRows", spool.corrupt());
        return s;
    }

    /** Scans and takes input until {@link #close()}. */
    public void run() {
        runner = Thread.currentThread();
        LOG.info("agent for station {} watching {} -> {} on {} ({}), spool {}", config.station(), config.inputDir(), config.topic(),
                config.bootstrapServers(), com.cpo.schemas.KafkaClientConfig.describe(config.kafkaSecurity()), config.spoolDir());
        com.cpo.schemas.ReplicationCheck.warnInBackground(config.kafkaClient(), java.util.List.of(config.topic()),
                com.cpo.schemas.TopicLayout.from(System.getenv(), System.getProperties()), "agent " + config.station());
        while (running) {
            try {
                int handled = pollOnce();
                health.clear(CONCERN_INTAKE);
                if (handled == 0) {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                health.set(CONCERN_INTAKE, "taking input failed, retrying every " + config.pollInterval().toMillis() + " ms: " + e.getMessage());
                LOG.error("pass over {} failed, retrying: {}", config.inputDir(), e.toString());
                try {
                    Thread.sleep(config.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One pass over the input folder; returns how much it handled (0: nothing new). */
    public int pollOnce() throws InterruptedException {
        return intake.pollOnce();
    }

    public Health health() {
        return health;
    }

    public Spool spool() {
        return spool;
    }

    public long eventsAcknowledged() {
        return metrics.ackedTotal();
    }

    /** Payload bytes of the events Kafka acknowledged since start. */
    public long bytesAcknowledged() {
        return metrics.ackedBytesTotal();
    }

    public long filesArchived() {
        return (long) metrics.filesArchived.count();
    }

    public long filesQuarantined() {
        return (long) metrics.filesQuarantined.count();
    }

    /** Port of the status endpoint, or -1 when there is none. */
    public int statusPort() {
        return status == null ? -1 : status.port();
    }

    @Override
    public void close() {
        running = false;
        Thread r = runner;
        if (r != null && r != Thread.currentThread()) {
            r.interrupt();
        }
        intake.close();
        publisher.stop();
        if (verdicts != null) {
            verdicts.stop();
        }
        join(publisherThread);
        join(verdictThread);
        ticker.shutdownNow();
        if (status != null) {
            status.close();
        }
        spool.close();
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
