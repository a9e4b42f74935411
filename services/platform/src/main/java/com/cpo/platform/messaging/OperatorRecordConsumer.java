package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.cpo.platform.live.LiveHub;
import com.cpo.platform.service.OperatorRecordService;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Stores every record of the dead-letter and corrections topics (channels {@code dead-letters-in},
 * {@code corrections-in}) for operators, and keeps the dashboards' counts current: after each new record, and
 * every 30 s (another instance may have stored some).
 */
@ApplicationScoped
public class OperatorRecordConsumer {

    private final OperatorRecordService records;
    private final DatabaseOutage database;
    private final LiveHub hub;

    OperatorRecordConsumer(OperatorRecordService records, DatabaseOutage database, LiveHub hub) {
        this.records = records;
        this.database = database;
        this.hub = hub;
    }

    @Incoming("dead-letters-in")
    @Blocking(ordered = true)
    public void deadLetter(ConsumerRecord<String, byte[]> record) {
        store(OperatorRecordService.DEAD_LETTER, record);
    }

    @Incoming("corrections-in")
    @Blocking(ordered = true)
    public void correction(ConsumerRecord<String, byte[]> record) {
        store(OperatorRecordService.CORRECTION, record);
    }

    private void store(String kind, ConsumerRecord<String, byte[]> record) {
        boolean[] stored = new boolean[1];
        database.run(kind.toLowerCase() + " " + record.topic() + "-" + record.partition() + "@" + record.offset(),
                () -> stored[0] = records.store(kind, record));
        if (stored[0]) {
            refreshCounts();
        }
    }

    void onStart(@Observes StartupEvent start) {
        refreshCountsQuietly();
    }

    @Scheduled(every = "30s", delayed = "30s")
    void refreshCountsQuietly() {
        try {
            refreshCounts();
        } catch (RuntimeException e) {
            // the database may be away; the next record or tick tries again
        }
    }

    private void refreshCounts() {
        var c = records.counts();
        hub.operatorRecordsChanged(new LiveHub.OperatorCounts(c.deadLetters(), c.deadLettersNotReplayed(), c.corrections()));
    }
}
