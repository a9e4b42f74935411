package com.cpo.domain;

/**
 * A check that failed.
 *
 * @param parameter the parameter checked
 * @param step the alignment step of the value, or null when the parameter is not per step
 * @param channel the channel, or null for a check over the whole unit
 * @param value the value, in {@code unitOfMeasure}
 * @param lower the lower limit it was held to, or null
 * @param upper the upper limit it was held to, or null
 * @param unitOfMeasure e.g. dB
 */
public record FailedCheck(String parameter, String step, Integer channel, double value, Double lower, Double upper,
        String unitOfMeasure) {
}
