package com.cpo.platform.report;

/**
 * One limit as engineers write it: a parameter, the channel it applies to (null = every channel), an
 * inclusive lower and/or upper limit in {@code unitOfMeasure}, and a description.
 */
public record LimitLine(String parameter, Integer channel, Double lowerLimit, Double upperLimit, String unitOfMeasure,
        String description) {
}
