package com.cpo.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.cpo.events.AlignmentResult;
import com.cpo.events.BurnInReading;
import com.cpo.schemas.EventCodec;

/** Everything on a topic, read by a plain consumer from the beginning: the proof of what reached Kafka. */
final class TopicContent {

    /** Records by event id: one per id unless duplicated (a duplicate carries the same id by construction). */
    final Map<String, List<SpecificRecord>> byEventId = new HashMap<>();
    int records;

    static TopicContent read(String bootstrapServers, String topic, Predicate<TopicContent> done, Duration timeout) {
        TopicContent content = new TopicContent();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(content) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    SpecificRecord event = EventCodec.standard().decode(record.value());
                    content.byEventId.computeIfAbsent(event.get(0).toString(), k -> new ArrayList<>()).add(event);
                    content.records++;
                }
            }
        }
        return content;
    }

    int distinct() {
        return byEventId.size();
    }

    /** Every duplicate is the same event as its first copy. */
    boolean duplicatesAreIdentical() {
        return byEventId.values().stream().allMatch(copies -> copies.stream().allMatch(c -> c.equals(copies.get(0))));
    }

    List<AlignmentResult> alignmentResults() {
        return byEventId.values().stream().map(l -> l.get(0)).filter(AlignmentResult.class::isInstance).map(AlignmentResult.class::cast).toList();
    }

    List<BurnInReading> burnInReadings() {
        return byEventId.values().stream().map(l -> l.get(0)).filter(BurnInReading.class::isInstance).map(BurnInReading.class::cast).toList();
    }
}
