package com.cpo.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.cpo.events.Limit;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;

/**
 * The example limit sets a new line starts with (docs/DOMAIN.md), released version 1: what {@code ./run} seeds and what a
 * container deployment's {@code limits-init} publishes on its first start ({@link #main}; publishing again is harmless,
 * the limits topic is compacted by {@code id@version} and the service recognises a known release).
 */
public final class ExampleLimitSets {

    /** The 16-channel engine's alignment limit set. */
    public static final String ALIGN_16 = "CPO-OE16/ALIGN";
    /** Upper limit of coupling loss in the example alignment limits, dB. */
    public static final double COUPLING_LOSS_USL_DB = 2.0;

    private ExampleLimitSets() {
    }

    /** Burn-in and alignment limits of CPO-OE16 and the alignment limits of CPO-OE8, in force since 2020. */
    public static List<LimitSet> all() {
        LimitSet burnIn = LimitSet.newBuilder().setLimitSetId("CPO-OE16/BURNIN").setVersion(1).setProduct("CPO-OE16").setOperation(Operation.BURNIN)
                .setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z")).setReleasedBy("seed (example limits, docs/DOMAIN.md)")
                .setLimits(List.of(
                        Limit.newBuilder().setParameter("power_drift").setLowerLimit(-0.5).setUpperLimit(0.5).setUnitOfMeasure("dB")
                                .setDescription("final-hour mean minus first-hour baseline power").build(),
                        Limit.newBuilder().setParameter("bias_drift").setUpperLimit(5.0).setUnitOfMeasure("%")
                                .setDescription("bias current change from the baseline").build(),
                        Limit.newBuilder().setParameter("sudden_drop").setUpperLimit(1.0).setUnitOfMeasure("dB")
                                .setDescription("largest power fall between consecutive readings").build()))
                .build();
        LimitSet align = LimitSet.newBuilder().setLimitSetId(ALIGN_16).setVersion(1).setProduct("CPO-OE16").setOperation(Operation.ALIGN)
                .setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z")).setReleasedBy("seed (example limits, docs/DOMAIN.md)")
                .setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setUpperLimit(COUPLING_LOSS_USL_DB)
                        .setUnitOfMeasure("dB").setDescription("coupling loss per channel at every alignment step").build()))
                .build();
        LimitSet align8 = LimitSet.newBuilder(align).setLimitSetId("CPO-OE8/ALIGN").setProduct("CPO-OE8").build();
        return List.of(burnIn, align, align8);
    }

    /** Publishes {@link #all()} to the limits topic, with {@code acks=all}; the login as for the service. */
    public static void publish(Properties clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer<LimitSet>())) {
            for (LimitSet limits : all()) {
                producer.send(new ProducerRecord<>(Topics.LIMITS.name(), limits.getLimitSetId() + "@" + limits.getVersion(), limits)).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the example limit sets", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot publish the example limit sets: " + e.getCause(), e);
        }
    }

    /** Brokers from {@code CPO_KAFKA_BOOTSTRAP_SERVERS}, the service's login from {@code CPO_KAFKA_CLIENT_CONFIG}. */
    public static void main(String[] args) {
        Properties props = KafkaClientConfig.load(System.getenv(), System.getProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getenv().getOrDefault("CPO_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        publish(props);
        System.out.println("example limit sets released: " + all().stream().map(l -> l.getLimitSetId() + "@" + l.getVersion()).toList());
    }
}
