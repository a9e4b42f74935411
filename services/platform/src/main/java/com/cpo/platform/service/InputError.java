package com.cpo.platform.service;

/**
 * One thing wrong with a request, named so the caller can find it: a request parameter or JSON field
 * ({@code parameter}), or a cell of an uploaded sheet ({@code row} and {@code column}).
 *
 * @param row 1-based row of an uploaded sheet, as Excel numbers it; null otherwise
 */
public record InputError(String parameter, Integer row, String column, String message) {

    public static InputError ofParameter(String parameter, String message) {
        return new InputError(parameter, null, null, message);
    }
}
