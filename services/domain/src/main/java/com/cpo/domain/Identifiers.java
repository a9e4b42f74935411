package com.cpo.domain;

import java.util.regex.Pattern;

/**
 * The one rule for identifiers that come from testers and name things: unit serials, lots, products and
 * stations. Letters, digits, '.', '_' and '-', beginning with a letter or digit, 1 to {@value #MAX_LENGTH}
 * characters. A serial names files on the tester PC (its verdict file) and appears in URLs, so anything
 * else (a path separator, "..", a 10 kB string, control characters) is refused where it enters.
 */
public final class Identifiers {

    /** Longest identifier accepted, characters. */
    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Identifiers() {
    }

    /** Whether {@code value} is an acceptable identifier. */
    public static boolean isValid(String value) {
        return problem("value", value) == null;
    }

    /**
     * Why {@code value} is not an acceptable identifier, naming the field, or null when it is.
     *
     * @param field what the value is, e.g. "serial"
     */
    public static String problem(String field, CharSequence value) {
        if (value == null || value.length() == 0) {
            return field + " is missing";
        }
        if (value.length() > MAX_LENGTH) {
            return field + " is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        if (!ALLOWED.matcher(value).matches()) {
            return field + " '" + printable(value) + "' may hold only letters, digits, '.', '_' and '-', and must begin with a letter or digit";
        }
        return null;
    }

    /** Throws IllegalArgumentException with {@link #problem} when {@code value} is not acceptable. */
    public static String require(String field, String value) {
        String problem = problem(field, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    /** The value with control and non-ASCII characters escaped, so a message shows what was there. */
    static String printable(CharSequence value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                out.appendCodePoint(c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }
}
