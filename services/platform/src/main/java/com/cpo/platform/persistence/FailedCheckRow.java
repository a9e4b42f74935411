package com.cpo.platform.persistence;

/**
 * A failed check to store; value and limits are in {@code unitOfMeasure}.
 *
 * @param step alignment step, or null when the parameter is not measured per step
 * @param channel null for a check over the whole unit
 */
public record FailedCheckRow(String parameter, String step, Integer channel, double value, Double lowerLimit,
        Double upperLimit, String unitOfMeasure) {
}
