package com.cpo.platform.live;

import java.util.regex.Pattern;

import com.cpo.platform.service.InvalidRequestException;

/**
 * What one dashboard shows: a product and a lot, each null for all. Figures without a lot (yield per station,
 * statistics per product and station, burn-in alarms) are sent whatever the lot.
 */
public record LiveFilter(String product, String lot) {

    /** Product part numbers and lots as the testers write them: letters, digits, '.', '_' and '-'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static final LiveFilter ALL = new LiveFilter(null, null);

    /** Validates the query parameters; blank means all. */
    public static LiveFilter of(String product, String lot) {
        return new LiveFilter(name("product", product), name("lot", lot));
    }

    private static String name(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (!NAME.matcher(v).matches()) {
            throw new InvalidRequestException(parameter, "Invalid " + parameter + " '" + value
                    + "': expected 1 to 64 letters, digits, '.', '_' or '-'.");
        }
        return v;
    }

    boolean product(String p) {
        return product == null || product.equals(p);
    }

    boolean lot(String l) {
        return lot == null || lot.equals(l);
    }

    boolean productAndLot(String p, String l) {
        return product(p) && lot(l);
    }
}
