package com.cpo.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Two versions of a limit set side by side, parameter by parameter and channel by channel, as the judge would apply them:
 * on each channel the limit that binds ({@link LimitSet#binding}), for a parameter of the whole unit its unit limit. Says
 * of each row whether the candidate (a draft) is the same, tighter, looser, both (one bound tighter, the other looser), added
 * or removed — tighter meaning fewer values pass.
 */
public final class LimitComparison {

    /** How the candidate's limit differs from the base's on one row. */
    public enum Change {
        SAME, TIGHTER, LOOSER, MIXED, ADDED, REMOVED
    }

    /**
     * One parameter on one channel (null for a parameter of the whole unit).
     *
     * @param baseChannel the channel the base's binding limit names (null: its all-channel limit)
     * @param candidateChannel the same for the candidate
     */
    public record Row(String parameter, Integer channel, Double baseLower, Double baseUpper, Integer baseChannel, Double candidateLower,
            Double candidateUpper, Integer candidateChannel, String unitOfMeasure, Change change) {
    }

    private LimitComparison() {
    }

    /**
     * Every row where either version has a limit, parameters in catalogue order (unknown ones after), channels ascending.
     *
     * @param base the version in force (null: none, every row ADDED)
     * @param channels the product's channel count
     */
    public static List<Row> compare(LimitSet base, LimitSet candidate, int channels) {
        Set<String> parameters = new LinkedHashSet<>();
        ParameterCatalogue.ALL.forEach(p -> parameters.add(p.name()));
        Set<String> used = new LinkedHashSet<>();
        for (LimitSet s : new LimitSet[] {base, candidate}) {
            if (s != null) {
                s.limits().forEach(l -> used.add(l.parameter()));
            }
        }
        parameters.retainAll(used);
        parameters.addAll(used);
        List<Row> rows = new ArrayList<>();
        for (String parameter : parameters) {
            boolean perChannel = ParameterCatalogue.find(parameter).map(ParameterCatalogue.Parameter::perChannel).orElse(true);
            if (!perChannel) {
                row(parameter, null, unitLimit(base, parameter), unitLimit(candidate, parameter)).ifPresent(rows::add);
                continue;
            }
            for (int channel = 1; channel <= channels; channel++) {
                row(parameter, channel, binding(base, parameter, channel), binding(candidate, parameter, channel)).ifPresent(rows::add);
            }
        }
        return rows;
    }

    private static Optional<Row> row(String parameter, Integer channel, Optional<Limit> base, Optional<Limit> candidate) {
        if (base.isEmpty() && candidate.isEmpty()) {
            return Optional.empty();
        }
        Limit b = base.orElse(null);
        Limit c = candidate.orElse(null);
        return Optional.of(new Row(parameter, channel, b == null ? null : b.lower(), b == null ? null : b.upper(), b == null ? null : b.channel(),
                c == null ? null : c.lower(), c == null ? null : c.upper(), c == null ? null : c.channel(),
                (c != null ? c : b).unitOfMeasure(), change(b, c)));
    }

    /** How {@code candidate} differs from {@code base}: each bound compared by what it lets pass. */
    public static Change change(Limit base, Limit candidate) {
        if (base == null) {
            return Change.ADDED;
        }
        if (candidate == null) {
            return Change.REMOVED;
        }
        // a lower bound is tighter when higher (or newly there), an upper bound when lower (or newly there)
        int lower = compareBound(base.lower(), candidate.lower(), true);
        int upper = compareBound(base.upper(), candidate.upper(), false);
        boolean tighter = lower > 0 || upper > 0;
        boolean looser = lower < 0 || upper < 0;
        return tighter && looser ? Change.MIXED : tighter ? Change.TIGHTER : looser ? Change.LOOSER : Change.SAME;
    }

    /** +1 when the candidate's bound lets fewer values pass, −1 more, 0 the same. */
    private static int compareBound(Double base, Double candidate, boolean lowerBound) {
        if (base == null && candidate == null) {
            return 0;
        }
        if (base == null) {
            return 1;
        }
        if (candidate == null) {
            return -1;
        }
        int c = Double.compare(candidate, base);
        return lowerBound ? c : -c;
    }

    private static Optional<Limit> binding(LimitSet set, String parameter, int channel) {
        return set == null ? Optional.empty() : set.binding(parameter, channel);
    }

    private static Optional<Limit> unitLimit(LimitSet set, String parameter) {
        return set == null ? Optional.empty() : set.unitLimit(parameter);
    }
}
