package com.cpo.analytics.spc;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.Names;
import com.cpo.analytics.statistics.StatisticsBatch;
import com.cpo.domain.spc.ControlBaseline;
import com.cpo.domain.spc.Subgroup;
import com.cpo.domain.spc.WesternElectric;
import com.cpo.events.SpcBaseline;
import com.cpo.events.SpcChannelBaseline;
import com.cpo.events.SpcPoint;
import com.cpo.events.SpcViolation;
import com.cpo.events.WesternElectricRule;
import com.cpo.schemas.EventCodec;

/**
 * The control charts of each product at each station, keyed {@code product|station}: a batch of a plant hour's final
 * coupling losses adds to the open hour; the first batch of a later hour closes it, and each channel's subgroup becomes
 * a point held to the baseline in force (the domain's {@link ControlBaseline}) and checked by the domain's
 * {@link WesternElectric} rules. Each point goes to {@code cpo.spc-points.v1}, each rule it breaks to
 * {@code cpo.spc-violations.v1}. A batch of an hour already closed is late for the chart: counted
 * ({@code spc-late-batches-total}), logged, and left to the statistics that count it.
 */
public final class SpcProcessor implements Processor<String, byte[], String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(SpcProcessor.class);
    private static final long HOUR_MS = 3_600_000L;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, SpcChartState> charts;
    private KeyValueStore<String, byte[]> baselines;
    private Sensor late;

    /** The value of a batch for this processor: the hour, then the batch's entries ({@code StatisticsBatch}). */
    public static byte[] value(long hourMs, byte[] entries) {
        return ByteBuffer.allocate(8 + entries.length).putLong(hourMs).put(entries).array();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.charts = context.getStateStore(Names.SPC_CHART_STORE);
        this.baselines = context.getStateStore(Names.SPC_BASELINES_STORE);
        this.late = context.metrics().addSensor("spc-late-batches-" + context.taskId(), Sensor.RecordingLevel.INFO);
        late.add(new MetricName("spc-late-batches-total", "cpo-analytics",
                "Batches of coupling-loss values for an hour whose control-chart point was already closed (they count in the statistics)",
                Map.of("task", context.taskId().toString())), new CumulativeCount());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ByteBuffer in = ByteBuffer.wrap(record.value());
        long hourMs = in.getLong();
        byte[] entries = new byte[in.remaining()];
        in.get(entries);
        SpcChartState state = charts.get(record.key());
        if (state == null) {
            state = new SpcChartState();
        }
        if (state.openHourMs != Long.MIN_VALUE && hourMs < state.openHourMs) {
            late.record();
            LOG.warn("coupling-loss values of {} for {} came after that hour's control-chart point closed; counted in the statistics only",
                    record.key(), Instant.ofEpochMilli(hourMs));
            return;
        }
        if (state.openHourMs != Long.MIN_VALUE && hourMs > state.openHourMs) {
            close(record.key(), state, record.timestamp());
        }
        state.openHourMs = hourMs;
        for (Map.Entry<Integer, double[]> e : StatisticsBatch.valuesPerChannel(entries).entrySet()) {
            state.add(e.getKey(), e.getValue());
        }
        charts.put(record.key(), state);
    }

    /** Closes the open hour: one point per channel, its violations. */
    private void close(String key, SpcChartState state, long timestamp) {
        String[] productStation = key.split("\\|", 2);
        byte[] bytes = baselines.get(key);
        SpcBaseline baseline = bytes == null ? null : EventCodec.standard().decode(bytes, SpcBaseline.class);
        Instant hour = Instant.ofEpochMilli(state.openHourMs);
        for (Map.Entry<Integer, double[]> e : state.open.entrySet()) {
            int channel = e.getKey();
            double[] sums = e.getValue();
            long n = (long) sums[0];
            double mean = sums[1] / n;
            double sd = n < 2 ? Double.NaN : Math.sqrt(Math.max(0, (sums[2] - n * mean * mean) / (n - 1)));
            Subgroup subgroup = new Subgroup(n, mean, sd);
            SpcPoint.Builder point = SpcPoint.newBuilder().setEventId(key + "|" + channel + "|" + hour).setProduct(productStation[0])
                    .setStation(productStation[1]).setChannel(channel).setHourStart(hour).setN(n).setMeanDb(mean)
                    .setStdDevDb(n < 2 ? null : sd).setViolations(List.of());
            SpcChannelBaseline channelBaseline = baseline == null ? null
                    : baseline.getChannels().stream().filter(c -> c.getChannel() == channel).findFirst().orElse(null);
            List<SpcViolation> violations = new ArrayList<>();
            if (channelBaseline != null) {
                ControlBaseline b = new ControlBaseline(channelBaseline.getCentreDb(), channelBaseline.getSigmaDb(),
                        channelBaseline.getSubgroups(), channelBaseline.getUnits());
                double z = b.z(subgroup);
                List<Double> memory = state.versions.getOrDefault(channel, -1) == baseline.getVersion()
                        ? state.points.getOrDefault(channel, List.of()) : List.of();
                memory = WesternElectric.remember(memory, z);
                state.points.put(channel, memory);
                state.versions.put(channel, baseline.getVersion());
                double lcl = b.centre() - 3 * b.sigmaOfMean(n);
                double ucl = b.centre() + 3 * b.sigmaOfMean(n);
                Set<WesternElectric.Rule> broken = WesternElectric.violations(memory);
                point.setBaselineVersion(baseline.getVersion()).setCentreDb(b.centre()).setLowerControlLimitDb(lcl).setUpperControlLimitDb(ucl)
                        .setZ(z).setViolations(broken.stream().map(r -> WesternElectricRule.valueOf(r.name())).toList());
                for (WesternElectric.Rule rule : broken) {
                    violations.add(SpcViolation.newBuilder().setEventId(key + "|" + channel + "|" + hour + "|" + rule).setEventTime(hour.plusMillis(HOUR_MS))
                            .setProduct(productStation[0]).setStation(productStation[1]).setChannel(channel).setHourStart(hour)
                            .setRule(WesternElectricRule.valueOf(rule.name())).setN(n).setMeanDb(mean).setZ(z).setCentreDb(b.centre())
                            .setLowerControlLimitDb(lcl).setUpperControlLimitDb(ucl).setBaselineVersion(baseline.getVersion())
                            .setMessage(String.format(Locale.ROOT, "%s at %s channel %d, hour %s: mean %.3f dB of %d units, %+.2fσ from the centre"
                                    + " %.3f dB (baseline v%d): %s", productStation[0], productStation[1], channel, hour, mean, n, z, b.centre(),
                                    baseline.getVersion(), rule.description()))
                            .build());
                }
            }
            context.forward(new Record<>(key + "|" + channel + "|" + hour, point.build(), timestamp));
            for (SpcViolation v : violations) {
                context.forward(new Record<>(key, v, timestamp));
            }
        }
        state.open.clear();
    }

    @Override
    public void close() {
        if (context != null) {
            context.metrics().removeSensor(late);
        }
    }
}
