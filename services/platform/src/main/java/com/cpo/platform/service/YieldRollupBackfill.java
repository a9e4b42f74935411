package com.cpo.platform.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.cpo.platform.persistence.YieldRepository;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * After the upgrade that introduced the yield rows ({@code unit_yield}, {@code unit_station_yield}), folds the verdicts
 * stored before it into them, {@value #BATCH} units per transaction, with progress in the log; once, at start. New
 * verdicts are folded as they are stored, so this runs beside the consumers without either overwriting the other
 * ({@link YieldRepository#refresh} locks the units first).
 */
@ApplicationScoped
public class YieldRollupBackfill {

    static final String TASK = "unit-yield-backfill";
    static final int BATCH = 2_000;
    private static final Logger LOG = Logger.getLogger(YieldRollupBackfill.class);

    private final YieldRepository yields;
    private final EntityManager em;

    YieldRollupBackfill(YieldRepository yields, EntityManager em) {
        this.yields = yields;
        this.em = em;
    }

    void atStart(@Observes StartupEvent start) {
        boolean pending = QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery(
                "SELECT 1 FROM maintenance_tasks WHERE name = :name AND done_at IS NULL").setParameter("name", TASK).getResultList().isEmpty());
        if (pending) {
            run();
        }
    }

    /** Folds every stored verdict into the yield rows; returns the units done. */
    long run() {
        long started = System.nanoTime();
        long lastLog = started;
        long units = 0;
        long after = 0;
        LOG.info("yield rows: folding the verdicts stored before this version in (once)");
        while (true) {
            long from = after;
            List<Long> batch = QuarkusTransaction.requiringNew().call(() -> yields.unitsWithVerdictsAfter(from, BATCH));
            if (batch.isEmpty()) {
                break;
            }
            QuarkusTransaction.requiringNew().run(() -> yields.refresh(batch));
            units += batch.size();
            after = batch.get(batch.size() - 1);
            if (System.nanoTime() - lastLog > 10_000_000_000L) {
                lastLog = System.nanoTime();
                LOG.infof("yield rows: %,d units folded in so far (%.0f s)", units, (lastLog - started) / 1e9);
            }
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE maintenance_tasks SET done_at = now() WHERE name = :name")
                .setParameter("name", TASK).executeUpdate());
        LOG.infof("yield rows: %,d units folded in, in %.1f s", units, (System.nanoTime() - started) / 1e9);
        return units;
    }
}
