package com.cpo.platform.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * The line's business figures as Prometheus gauges, for Grafana's business panels and alert rules, refreshed every
 * 30 s from PostgreSQL with the same services the REST API answers with: FPY per product and operation and the lowest
 * final coupling-loss Cpk per product over the last 24 h ({@code cpo_business_fpy}, {@code cpo_business_cpk_min}), open and
 * acknowledged alarms ({@code cpo_alarms}), SPC violations of the last 24 h ({@code cpo_spc_violations_24h}) and dead
 * letters not replayed ({@code cpo_dead_letters_not_replayed}). Every product with units has its gauges; a figure with
 * nothing to say (no units in the last 24 h) reads NaN.
 */
@ApplicationScoped
public class BusinessMetrics {

    private static final Logger LOG = Logger.getLogger(BusinessMetrics.class);
    private final YieldService yields;
    private final DataSource database;
    private final OperatorRecordService operatorRecords;
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    BusinessMetrics(YieldService yields, DataSource database, OperatorRecordService operatorRecords, MeterRegistry registry) {
        this.yields = yields;
        this.database = database;
        this.operatorRecords = operatorRecords;
        this.registry = registry;
    }

    private void set(String name, String description, Tags tags, double value) {
        values.computeIfAbsent(name + tags, k -> {
            AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, ref, AtomicReference::get).description(description).tags(tags).register(registry);
            return ref;
        }).set(value);
    }

    @Scheduled(every = "30s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            Instant now = Instant.now();
            Instant from = now.minus(Duration.ofHours(24));
            for (String product : products()) {
                // every known product has its gauges; NaN while it has no units (or no capability) in the last 24 h
                yields.operations(new ReportFilter("ALIGN", product, null, null, from, now)).forEach((operation, f) ->
                        set("cpo_business_fpy", "First-pass yield of the units whose first run was in the last 24 h (0..1)",
                                Tags.of("product", product, "operation", operation), f.units() > 0 ? f.firstPassYield() : Double.NaN));
                set("cpo_business_cpk_min", "Lowest Cpk of the final coupling loss over the channels, last 24 h", Tags.of("product", product),
                        yields.couplingLoss(new ReportFilter("ALIGN", product, null, null, from, now), "POST_THERMAL").stream()
                                .mapToDouble(com.cpo.platform.report.YieldReport.StatsRow::cpk).filter(Double::isFinite).min().orElse(Double.NaN));
            }
            try (Connection c = database.getConnection()) {
                set("cpo_alarms", "Burn-in alarms open now", Tags.of("kind", "burnin", "state", "open"),
                        count(c, "SELECT count(*) FROM burnin_alarms WHERE state = 'OPEN'"));
                set("cpo_alarms", "Burn-in alarms acknowledged, the unit still in the rack", Tags.of("kind", "burnin", "state", "acknowledged"),
                        count(c, "SELECT count(*) FROM burnin_alarms WHERE state = 'ACKNOWLEDGED'"));
                set("cpo_alarms", "Yield alarms open now", Tags.of("kind", "yield", "state", "open"),
                        count(c, "SELECT count(*) FROM yield_alarms WHERE state = 'OPEN'"));
                set("cpo_spc_violations_24h", "Western Electric rule violations of hours that started in the last 24 h", Tags.empty(),
                        count(c, "SELECT count(*) FROM spc_violations WHERE hour_start >= now() - interval '24 hours'"));
            }
            set("cpo_dead_letters_not_replayed", "Dead letters stored and not replayed", Tags.empty(),
                    operatorRecords.counts().deadLettersNotReplayed());
        } catch (Exception e) {
            LOG.debugf("business metrics not refreshed (the database may be away): %s", e.getMessage());
        }
    }

    private List<String> products() throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT DISTINCT product FROM units ORDER BY 1");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static double count(Connection c, String sql) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
