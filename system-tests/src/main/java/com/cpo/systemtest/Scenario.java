package com.cpo.systemtest;

import com.cpo.launcher.LocalPlatform;

/**
 * A fault scenario: what it changes before the platform starts, the faults it plays while the load runs (each
 * proved: a pid gone, an exit code, a leader that moved), and its own checks beyond the ledger's.
 */
public interface Scenario {

    String name();

    String description();

    /** Before the platform starts (e.g. mount a small filesystem). */
    default void prepare(FaultRun.Context ctx) throws Exception {
    }

    /** How the platform is started. */
    default LocalPlatform.Tuning tune(LocalPlatform.Tuning tuning) {
        return tuning;
    }

    /** The faults, while the load runs; returns when they are over. */
    void faults(FaultRun.Context ctx) throws Exception;

    /** Once every run written has its verdict (e.g. deliver everything a second time). */
    default void afterSettle(FaultRun.Context ctx) throws Exception {
    }

    /** Checks of its own after the ledger's, reported with {@link FaultRun.Context#problem}. */
    default void verify(FaultRun.Context ctx, Ledger.Report report, Ledger ledger) throws Exception {
    }

    /** After the platform stopped, whatever happened. */
    default void cleanUp(FaultRun.Context ctx) {
    }
}
