package com.cpo.platform.service;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.cpo.platform.PlatformConfig;
import com.cpo.platform.persistence.PartitionMaintenance.Partition;
import com.cpo.platform.persistence.PartitionMaintenance;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the growing tables manageable: makes this month's and the next two months' partitions ahead of the rows that
 * will need them, and applies {@code cpo.platform.retention.*}, at start and every {@code cpo.platform.retention.every}.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final PartitionMaintenance partitions;
    private final PlatformConfig.Retention config;
    private volatile Removed last;

    Retention(PartitionMaintenance partitions, PlatformConfig config) {
        this.partitions = partitions;
        this.config = config.retention();
    }

    void atStart(@Observes StartupEvent start) {
        makeMonthsAhead(Instant.now());
    }

    @Scheduled(every = "${cpo.platform.retention.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Instant now = Instant.now();
        makeMonthsAhead(now);
        apply(now);
    }

    /** This month's and the next two months' partitions. */
    void makeMonthsAhead(Instant now) {
        for (String table : PartitionMaintenance.TABLES) {
            for (int month = 0; month <= 2; month++) {
                partitions.ensure(table, now.atOffset(ZoneOffset.UTC).plusMonths(month).toInstant());
            }
        }
    }

    /** What one pass of retention removed, and when it ran. */
    public record Removed(Instant at, List<Partition> runs, List<Partition> alignmentValues, List<Partition> burnInReadings,
            List<Partition> alignmentScans, long burnInSummaries, long processedEvents) {
    }

    /** The last pass, or null before the first. */
    public Removed last() {
        return last;
    }

    /** Applies every retention setting as of {@code now}. */
    public Removed apply(Instant now) {
        Removed removed = new Removed(now,
                drop(PartitionMaintenance.RUNS, config.runs(), now),
                drop(PartitionMaintenance.ALIGNMENT_VALUES, config.alignmentValues(), now),
                drop(PartitionMaintenance.BURNIN_READINGS, config.burninReadings(), now),
                drop(PartitionMaintenance.ALIGNMENT_SCANS, config.alignmentScans(), now),
                delete("burnin_channel_summaries", "last_reading_at", config.burninSummaries(), now),
                delete("processed_events", "processed_at", config.processedEvents(), now));
        if (!removed.runs().isEmpty() || !removed.alignmentValues().isEmpty() || !removed.burnInReadings().isEmpty()
                || !removed.alignmentScans().isEmpty()
                || removed.burnInSummaries() > 0 || removed.processedEvents() > 0) {
            LOG.infof("retention: dropped %d month(s) of runs, %d of alignment values, %d of burn-in readings and %d of alignment "
                    + "scans, deleted %,d burn-in summaries and %,d processed-event ids", removed.runs().size(), removed.alignmentValues().size(),
                    removed.burnInReadings().size(), removed.alignmentScans().size(), removed.burnInSummaries(), removed.processedEvents());
        }
        last = removed;
        return removed;
    }

    private List<Partition> drop(String table, Period keep, Instant now) {
        return keep.isZero() ? List.of() : partitions.dropEndingBefore(table, cutoff(keep, now));
    }

    private long delete(String table, String column, Period keep, Instant now) {
        return keep.isZero() ? 0 : partitions.deleteOlderThan(table, column, cutoff(keep, now));
    }

    static Instant cutoff(Period keep, Instant now) {
        return now.atOffset(ZoneOffset.UTC).minus(keep).toInstant();
    }
}
