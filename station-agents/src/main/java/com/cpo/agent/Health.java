package com.cpo.agent;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why the agent is not healthy, if it is not: one reason per concern (spool full, Kafka unreachable,
 * corrupt spool rows, ...), each set and cleared by the part that knows.
 */
public final class Health {

    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    public void set(String concern, String reason) {
        reasons.put(concern, reason);
    }

    public void clear(String concern) {
        reasons.remove(concern);
    }

    public boolean healthy() {
        return reasons.isEmpty();
    }

    /** The reasons by concern, sorted. */
    public Map<String, String> reasons() {
        return new TreeMap<>(reasons);
    }
}
