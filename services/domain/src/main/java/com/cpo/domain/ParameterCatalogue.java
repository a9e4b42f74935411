package com.cpo.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every parameter a limit may be set on: its name, unit of measure, operation, whether it is per channel, and the steps
 * it is measured at. Limit drafts are checked against it, listing every problem: an unknown parameter, one of another
 * operation, a unit that does not match, a channel on a parameter of the whole unit, a channel the product does not
 * have, bounds the domain refuses ({@link Limit#problem}), and a parameter limited twice on one channel.
 */
public final class ParameterCatalogue {

    /**
     * A parameter.
     *
     * @param unit the unit its values and limits are in
     * @param operation ALIGN or BURNIN
     * @param perChannel false for a figure of the whole unit (channel spread): its limits name no channel
     * @param steps alignment steps it is measured at; empty where steps do not apply
     */
    public record Parameter(String name, String unit, String operation, boolean perChannel, List<String> steps, String description) {
    }

    /** One problem of a draft: the limit's index (0-based), the field, and what is wrong. */
    public record Problem(int index, String field, String message) {
    }

    /** A limit as drafted, before it is a {@link Limit}. */
    public record Draft(String parameter, Integer channel, Double lower, Double upper, String unit) {
    }

    private static final List<String> STEPS = List.of("PRE_CURE", "POST_UV", "POST_THERMAL");

    public static final List<Parameter> ALL = List.of(
            new Parameter(Parameters.COUPLING_LOSS, "dB", "ALIGN", true, STEPS, "coupling (insertion) loss per channel at each alignment step"),
            new Parameter(Parameters.PDL, "dB", "ALIGN", true, STEPS, "polarization-dependent loss per channel at each step where measured"),
            new Parameter(Parameters.CURE_SHIFT, "dB", "ALIGN", true, List.of(), "post-thermal minus pre-cure coupling loss per channel"),
            new Parameter(Parameters.CHANNEL_SPREAD, "dB", "ALIGN", false, STEPS, "max minus min coupling loss over the channels, per step"),
            new Parameter(Parameters.POWER_DRIFT, "dB", "BURNIN", true, List.of(), "final-window mean minus baseline power per channel"),
            new Parameter(Parameters.BIAS_DRIFT, "%", "BURNIN", true, List.of(), "bias current change from the baseline per channel"),
            new Parameter(Parameters.SUDDEN_DROP, "dB", "BURNIN", true, List.of(), "largest power fall between consecutive readings per channel"));

    private ParameterCatalogue() {
    }

    public static Optional<Parameter> find(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The parameters of an operation. */
    public static List<Parameter> of(String operation) {
        return ALL.stream().filter(p -> p.operation().equals(operation)).toList();
    }

    /**
     * Every problem of a draft's limits.
     *
     * @param operation the operation the limit set is for
     * @param channels the product's channel count, or null when the product is not in the product catalogue (then any
     *        channel 1..{@value Channels#MAX})
     */
    public static List<Problem> check(String operation, Integer channels, List<Draft> limits) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> first = new HashMap<>();
        int max = channels == null ? Channels.MAX : channels;
        for (int i = 0; i < limits.size(); i++) {
            Draft d = limits.get(i);
            Optional<Parameter> p = d.parameter() == null ? Optional.empty() : find(d.parameter());
            if (p.isEmpty()) {
                problems.add(new Problem(i, "parameter", "'" + d.parameter() + "' is not a parameter of " + operation + "; known: "
                        + of(operation).stream().map(Parameter::name).toList()));
                continue;
            }
            Parameter parameter = p.get();
            if (!parameter.operation().equals(operation)) {
                problems.add(new Problem(i, "parameter", "'" + d.parameter() + "' is a parameter of " + parameter.operation() + ", not of " + operation));
            }
            if (d.unit() == null || !d.unit().equals(parameter.unit())) {
                problems.add(new Problem(i, "unitOfMeasure", "'" + d.parameter() + "' is in " + parameter.unit() + ", not '" + d.unit() + "'"));
            }
            if (d.channel() != null && !parameter.perChannel()) {
                problems.add(new Problem(i, "channel", "'" + d.parameter() + "' is a figure of the whole unit; its limit names no channel"));
            } else if (d.channel() != null && (d.channel() < 1 || d.channel() > max)) {
                problems.add(new Problem(i, "channel", "channel " + d.channel() + " is outside 1.." + max
                        + (channels == null ? "" : " (the product has " + channels + " channels)")));
            }
            if (d.lower() == null && d.upper() == null) {
                problems.add(new Problem(i, "upperLimit", "a limit needs a lowerLimit, an upperLimit or both"));
            } else if (d.lower() != null && d.upper() != null && d.lower() > d.upper()) {
                problems.add(new Problem(i, "lowerLimit", d.lower() + " is above the upperLimit " + d.upper()));
            } else if (d.lower() != null && !Double.isFinite(d.lower()) || d.upper() != null && !Double.isFinite(d.upper())) {
                problems.add(new Problem(i, "lowerLimit", "a bound is not a finite number"));
            }
            String key = d.parameter().toLowerCase(Locale.ROOT) + "#" + d.channel();
            Integer before = first.putIfAbsent(key, i);
            if (before != null) {
                problems.add(new Problem(i, "channel", "'" + d.parameter() + "' on " + (d.channel() == null ? "all channels" : "channel " + d.channel())
                        + " is already limited by limits[" + before + "]"));
            }
        }
        return problems;
    }
}
