package com.cpo.platform.service;

import java.util.Arrays;
import java.util.stream.Collectors;

import com.cpo.events.Operation;

/** Parses operation names given by API callers against the schema's {@link Operation} enum. */
final class Operations {

    private Operations() {
    }

    /** The operation named {@code name} (case-insensitive), or an {@link InvalidRequestException} listing the known ones. */
    static Operation parse(String name) {
        String wanted = name == null ? "" : name.strip();
        return Arrays.stream(Operation.values())
                .filter(op -> op.name().equalsIgnoreCase(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException("operation", "Unknown operation '" + name + "': expected one of "
                        + Arrays.stream(Operation.values()).map(Enum::name).collect(Collectors.joining(", ")) + "."));
    }
}
