package com.cpo.platform.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInStatus;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.RolledThroughputYield;
import com.cpo.events.Verdict;
import com.cpo.events.YieldFigures;
import com.cpo.platform.PlatformConfig;
import com.cpo.platform.TopicsConfig;
import com.cpo.platform.live.LiveViews.AlarmView;
import com.cpo.platform.live.LiveViews.RtyView;
import com.cpo.platform.live.LiveViews.StatisticsView;
import com.cpo.platform.live.LiveViews.VerdictView;
import com.cpo.platform.live.LiveViews.YieldView;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.KafkaClientConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Reads the analytics topics into the {@link LiveHub}. Every instance of the service must see every record, so
 * this is a plain consumer with {@code assign()} and no group (a shared group would split the records between
 * instances). At start it reads the compacted yield, RTY, statistics and burn-in status topics from the beginning
 * (the latest figures per key) and the last {@code cpo.platform.dashboard.verdict-lookback} records of each verdict and
 * alarm partition (the latest failures and alarms); only then is it {@link #caughtUp() caught up}. What it reads
 * while catching up is pushed to connected dashboards as well (see {@link LiveHub}). Topics that do not exist yet
 * are looked for again every few seconds, partitions added to a topic later every {@value #PARTITION_RECHECK_S} s.
 *
 * <p>{@link #ready(long) Ready} while caught up, the feed's thread is running and its last poll succeeded within
 * {@value #MAX_SILENCE_S} s: a broker gone for longer, or a thread ended by an {@link Error}, takes the
 * service's readiness down.
 *
 * <p>Latency: the fetch wait is 10 ms, so a record reaches the browsers within a poll of being committed
 * ({@code read_committed}: the analytics app writes exactly-once, aborted records never show).
 */
@ApplicationScoped
public class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(3);
    static final long PARTITION_RECHECK_S = 30;
    static final long MAX_SILENCE_S = 30;
    private static final Duration EVICT_EVERY = Duration.ofMinutes(1);
    private static final Duration RACK_PUSH_EVERY = Duration.ofSeconds(1);

    private final LiveHub hub;
    private final TopicsConfig topics;
    private final int lookback;
    private final Properties connection;
    private final MeterRegistry registry;
    private final EventCodec codec = EventCodec.standard();
    private final UndecodableRecords undecodable;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile boolean threadRunning;
    private volatile long lastPollNanos;
    private boolean assignedOnce;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    /** End offsets at the time each partition was assigned: reaching them is "caught up". */
    private final Map<TopicPartition, Long> startEnds = new HashMap<>();
    private volatile Set<String> missingTopics = Set.of();
    private final BurnInRack rack = new BurnInRack();

    LiveFeed(LiveHub hub, TopicsConfig topics, PlatformConfig config, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.hub = hub;
        this.topics = topics;
        this.lookback = config.dashboard().verdictLookback();
        this.connection = KafkaClientConfig.connection(kafka);
        this.registry = registry;
        this.undecodable = new UndecodableRecords(registry, Duration.ofMinutes(1));
        wanted().forEach(undecodable::expect);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "dashboard-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Whether the feed has read what the existing topics held when it started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Whether the dashboards get what the topics hold: caught up, the thread running and a poll succeeded lately. */
    public boolean ready(long nowNanos) {
        return ready(caughtUp, threadRunning, lastPollNanos, nowNanos);
    }

    static boolean ready(boolean caughtUp, boolean threadRunning, long lastPollNanos, long nowNanos) {
        return caughtUp && threadRunning && nowNanos - lastPollNanos < Duration.ofSeconds(MAX_SILENCE_S).toNanos();
    }

    /** Seconds since the last successful poll. */
    public long secondsSinceLastPoll(long nowNanos) {
        return Duration.ofNanos(nowNanos - lastPollNanos).toSeconds();
    }

    /** Topics the feed waits for; empty once all exist. */
    public Set<String> missingTopics() {
        return missingTopics;
    }

    private List<String> wanted() {
        return List.of(topics.yield(), topics.rty(), topics.couplingLossStats(), topics.verdicts(), topics.burninAlarms(),
                topics.burninStatus());
    }

    private boolean compacted(String topic) {
        return topic.equals(topics.yield()) || topic.equals(topics.rty()) || topic.equals(topics.couplingLossStats())
                || topic.equals(topics.burninStatus());
    }

    private void run() {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "platform-service-dashboard-feed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        // partitionsFor answers from the metadata cache: refresh it as often as partitions are looked for
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(Duration.ofSeconds(PARTITION_RECHECK_S).toMillis()));
        threadRunning = true;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaClientMetrics metrics = new KafkaClientMetrics(c)) {
            metrics.bindTo(registry);
            consumer = c;
            long nextTopicCheck = System.nanoTime();
            long nextEviction = System.nanoTime();
            long nextRackPush = System.nanoTime();
            while (running) {
                try {
                    if (System.nanoTime() >= nextTopicCheck) {
                        assignNew(c);
                        // missing topics are looked for often; new partitions of existing ones are rare
                        nextTopicCheck = System.nanoTime()
                                + (missingTopics.isEmpty() ? Duration.ofSeconds(PARTITION_RECHECK_S) : TOPIC_RETRY).toNanos();
                    }
                    for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
                        apply(record);
                    }
                    lastPollNanos = System.nanoTime();
                    if (!caughtUp) {
                        checkCaughtUp(c);
                        if (caughtUp) {
                            rack.markChanged(); // an empty rack is news too, once the topic has been read
                        }
                    }
                    if (System.nanoTime() >= nextRackPush) {
                        // at most once a second: a rack of a thousand units sends a status every few milliseconds
                        String waiting = missingTopics.contains(topics.burninStatus())
                                ? "waiting for topic " + topics.burninStatus() + " (the analytics app creates it; see the README)" : null;
                        LiveHub.RackView changedRack = rack.takeChange(Instant.now(), topics.burninStatus(), waiting);
                        if (changedRack != null) {
                            hub.rackChanged(changedRack);
                            nextRackPush = System.nanoTime() + RACK_PUSH_EVERY.toNanos();
                        }
                    }
                    if (System.nanoTime() >= nextEviction) {
                        int evicted = hub.evictExpired(Instant.now());
                        if (evicted > 0) {
                            LOG.debugf("dashboard feed: dropped %d lot figures older than the lot retention", evicted);
                        }
                        nextEviction = System.nanoTime() + EVICT_EVERY.toNanos();
                    }
                } catch (WakeupException e) {
                    // stopping
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.warnf("dashboard feed: %s; retrying", e.toString());
                        sleepQuietly(1_000);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "dashboard feed stopped; the dashboards get no more updates and the service is not ready");
            throw e;
        } finally {
            caughtUp = false;
            threadRunning = false;
        }
    }

    private void assignNew(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> added = new ArrayList<>();
        Set<String> missing = new HashSet<>();
        for (String topic : wanted()) {
            List<PartitionInfo> partitions = c.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                missing.add(topic);
                continue;
            }
            for (PartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                if (!c.assignment().contains(tp)) {
                    added.add(tp);
                }
            }
        }
        missingTopics = Set.copyOf(missing);
        assignedOnce = true;
        if (added.isEmpty()) {
            return;
        }
        if (!c.assignment().isEmpty()) {
            LOG.infof("dashboard feed: reading partitions %s as well", added);
        }
        List<TopicPartition> all = new ArrayList<>(c.assignment());
        all.addAll(added);
        c.assign(all);
        Map<TopicPartition, Long> begins = c.beginningOffsets(added);
        Map<TopicPartition, Long> ends = c.endOffsets(added);
        for (TopicPartition tp : added) {
            long begin = begins.get(tp);
            long end = ends.get(tp);
            c.seek(tp, compacted(tp.topic()) ? begin : Math.max(begin, end - lookback));
            if (!caughtUp) {
                startEnds.put(tp, end);
            }
        }
        if (!missingTopics.isEmpty()) {
            LOG.infof("dashboard feed: waiting for topics %s", missingTopics);
        }
    }

    private void checkCaughtUp(KafkaConsumer<String, byte[]> c) {
        if (!assignedOnce) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> e : startEnds.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        caughtUp = true;
        LOG.infof("dashboard feed caught up on %d partitions", startEnds.size());
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        boolean live = caughtUp;
        if (record.value() == null) {
            if (topic.equals(topics.yield())) {
                hub.yieldRemoved(record.key());
            } else if (topic.equals(topics.rty())) {
                hub.rtyRemoved(record.key());
            } else if (topic.equals(topics.couplingLossStats())) {
                hub.statisticsRemoved(record.key());
            } else if (topic.equals(topics.burninStatus())) {
                rack.remove(record.key());
            }
            return;
        }
        Object view;
        try {
            view = decode(topic, record);
        } catch (RuntimeException e) {
            undecodable.skipped(topic, record.partition(), record.offset(), e, System.nanoTime());
            return;
        }
        try {
            if (view instanceof YieldView y) {
                hub.yieldChanged(y, record.timestamp(), live);
            } else if (view instanceof RtyView r) {
                hub.rtyChanged(r, record.timestamp(), live);
            } else if (view instanceof StatisticsView st) {
                hub.statisticsChanged(st, record.timestamp(), live);
            } else if (view instanceof VerdictView v) {
                hub.verdictArrived(v, live);
            } else if (view instanceof AlarmView a) {
                hub.alarmRaised(a, record.timestamp(), live);
            } else if (view instanceof BurnInStatus status) {
                rack.put(record.key(), status);
            }
        } catch (RuntimeException e) {
            // not a bad record: skip it alone (the rest of the batch is already polled), but say so
            LOG.warnf(e, "dashboard feed: applying %s-%d@%d failed; skipped", topic, record.partition(), record.offset());
        }
    }

    /** The record as the dashboard shows it; null for a topic the feed does not read. */
    private Object decode(String topic, ConsumerRecord<String, byte[]> record) {
        if (topic.equals(topics.yield())) {
            return YieldView.of(codec.decode(record.value(), YieldFigures.class));
        } else if (topic.equals(topics.rty())) {
            return RtyView.of(record.key(), codec.decode(record.value(), RolledThroughputYield.class));
        } else if (topic.equals(topics.couplingLossStats())) {
            return StatisticsView.of(codec.decode(record.value(), CouplingLossStatistics.class));
        } else if (topic.equals(topics.verdicts())) {
            return VerdictView.of(codec.decode(record.value(), Verdict.class), record.timestamp());
        } else if (topic.equals(topics.burninAlarms())) {
            return AlarmView.of(codec.decode(record.value(), BurnInAlarm.class));
        } else if (topic.equals(topics.burninStatus())) {
            return codec.decode(record.value(), BurnInStatus.class);
        }
        return null;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
