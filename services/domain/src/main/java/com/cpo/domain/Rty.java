package com.cpo.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rolled throughput yield: the product of the first-pass yields of the operations. The one policy for an operation
 * without units in the scope: it is left out (a lot not yet at burn-in has the RTY of alignment alone), and the
 * operations left out are named so pages can say so. No operation with units: no RTY (NaN).
 *
 * @param value the product of the FPYs of {@code included}, 0..1, or NaN
 * @param included operations whose FPY is in the product
 * @param excluded operations of the scope without units, left out
 */
public record Rty(double value, List<String> included, List<String> excluded) {

    public Rty {
        included = List.copyOf(included);
        excluded = List.copyOf(excluded);
    }

    /** The RTY of the operations' yields (operation name to figures). */
    public static Rty of(Map<String, YieldFigures> byOperation) {
        double product = 1.0;
        List<String> in = new java.util.ArrayList<>();
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, YieldFigures> e : new TreeMap<>(byOperation).entrySet()) {
            if (e.getValue().units() == 0) {
                out.add(e.getKey());
            } else {
                product *= e.getValue().firstPassYield();
                in.add(e.getKey());
            }
        }
        return new Rty(in.isEmpty() ? Double.NaN : product, in, out);
    }

    /** The policy in words, for pages and workbooks. */
    public static String definition() {
        return "RTY = product of the first-pass yields of the operations that have units in the scope; "
                + "an operation without units is left out and named";
    }
}
