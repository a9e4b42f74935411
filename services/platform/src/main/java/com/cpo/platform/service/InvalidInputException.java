package com.cpo.platform.service;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input that is well-formed but cannot be accepted as a whole, with every reason: answered 422 with one
 * entry per error (an imported limit sheet with bad cells, limits with no bound, ...).
 */
public class InvalidInputException extends RuntimeException {

    private final transient List<InputError> errors;

    public InvalidInputException(String summary, List<InputError> errors) {
        super(summary + ": " + errors.stream().map(InputError::message).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<InputError> errors() {
        return errors;
    }
}
