package com.cpo.agent;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The agent's counters, in a Prometheus registry scraped at {@code /metrics}, plus the events/s rate the
 * status endpoint and the progress log show (acknowledged events over the last 10 s).
 */
public final class AgentMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Counter eventsSpooled;
    final Counter eventsAcked;
    final Counter filesArchived;
    final Counter filesQuarantined;
    final Counter linesQuarantined;
    final Counter verdictsWritten;
    final Counter verdictsRefused;
    final Counter sendFailures;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong ackedBytes = new AtomicLong();
    private final long[] ackedAt = new long[11];
    private int tick;

    public AgentMetrics(String station) {
        eventsSpooled = Counter.builder("cpo.agent.events.spooled").description("Events taken into the durable spool")
                .tag("station", station).register(registry);
        eventsAcked = Counter.builder("cpo.agent.events.acked").description("Events Kafka acknowledged and removed from the spool")
                .tag("station", station).register(registry);
        filesArchived = Counter.builder("cpo.agent.files.archived").description("Alignment files spooled and archived")
                .tag("station", station).register(registry);
        filesQuarantined = Counter.builder("cpo.agent.quarantined").description("Malformed input set aside").tag("kind", "file")
                .tag("station", station).register(registry);
        linesQuarantined = Counter.builder("cpo.agent.quarantined").description("Malformed input set aside").tag("kind", "line")
                .tag("station", station).register(registry);
        verdictsWritten = Counter.builder("cpo.agent.verdicts.written").description("Verdict files written for the station")
                .tag("station", station).register(registry);
        verdictsRefused = Counter.builder("cpo.agent.verdicts.refused")
                .description("Verdicts whose file could not be named inside the verdicts folder (a hostile serial); never written, never retried")
                .tag("station", station).register(registry);
        sendFailures = Counter.builder("cpo.agent.send.failures").description("Sends Kafka did not acknowledge (resent from the spool)")
                .tag("station", station).register(registry);
    }

    /** Registers the gauges that read the agent's live state. */
    void gauges(String station, Spool spool, Supplier<Double> oldestAgeS, Health health) {
        Gauge.builder("cpo.agent.spool.depth", spool, Spool::depth).description("Events in the spool, not yet acknowledged by Kafka")
                .baseUnit("events").tag("station", station).register(registry);
        Gauge.builder("cpo.agent.spool.payload", spool, Spool::payloadBytes).description("Payload bytes in the spool (what the quota bounds)")
                .baseUnit("bytes").tag("station", station).register(registry);
        Gauge.builder("cpo.agent.oldest.unsent.age", oldestAgeS, Supplier::get).description("Age of the oldest unsent event")
                .baseUnit("seconds").tag("station", station).register(registry);
        Gauge.builder("cpo.agent.healthy", health, h -> h.healthy() ? 1 : 0).description("1 when healthy, else 0").tag("station", station)
                .register(registry);
        Gauge.builder("cpo.agent.events.rate", this, AgentMetrics::eventsPerSecond).description("Events acknowledged per second, last 10 s")
                .tag("station", station).register(registry);
    }

    void acked(int count, long bytes) {
        acked.addAndGet(count);
        ackedBytes.addAndGet(bytes);
        eventsAcked.increment(count);
    }

    /** Called once a second: keeps the last 10 s of acknowledged counts. */
    synchronized void tick() {
        ackedAt[tick++ % ackedAt.length] = acked.get();
    }

    /** Events acknowledged per second over the last 10 s. */
    public synchronized double eventsPerSecond() {
        if (tick < 2) {
            return 0;
        }
        int span = Math.min(tick - 1, ackedAt.length - 1);
        long newest = ackedAt[(tick - 1) % ackedAt.length];
        long oldest = ackedAt[(tick - 1 - span) % ackedAt.length];
        return (newest - oldest) / (double) span;
    }

    public long ackedTotal() {
        return acked.get();
    }

    /** Payload bytes of the events Kafka acknowledged. */
    public long ackedBytesTotal() {
        return ackedBytes.get();
    }

    private final java.util.Map<String, io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics> clients = new java.util.HashMap<>();

    /**
     * Exposes a Kafka client's own metrics (send rate, request latency, records lag of the verdict consumer)
     * under {@code kafka_producer_*} / {@code kafka_consumer_*}; a client made anew replaces the old one's.
     */
    synchronized void bindKafkaClient(String role, org.apache.kafka.clients.producer.Producer<?, ?> producer) {
        bind(role, new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer));
    }

    synchronized void bindKafkaClient(String role, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        bind(role, new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer));
    }

    private void bind(String role, io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics binder) {
        io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics old = clients.put(role, binder);
        if (old != null) {
            old.close();
        }
        binder.bindTo(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
