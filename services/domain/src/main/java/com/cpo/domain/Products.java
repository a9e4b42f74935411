package com.cpo.domain;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The products the line makes and how many channels each has: {@value #KEY} (environment {@code CPO_PLANT_PRODUCTS}),
 * {@code PART=CHANNELS} separated by commas, default {@value #DEFAULT}. A limit draft for a listed product may only
 * name its channels.
 */
public record Products(Map<String, Integer> channels) {

    public static final String KEY = "cpo.plant.products";
    public static final String DEFAULT = "CPO-OE16=16,CPO-OE8=8";

    public Products {
        channels = Map.copyOf(channels);
    }

    public static Products parse(String spec) {
        Map<String, Integer> channels = new TreeMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.strip().split("=");
            try {
                int n = Integer.parseInt(kv[1].strip());
                if (kv.length != 2 || Channels.countProblem(n) != null) {
                    throw new IllegalArgumentException();
                }
                channels.put(kv[0].strip(), n);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(KEY + ": '" + part.strip() + "' is not PART=CHANNELS with 1.." + Channels.MAX + " channels");
            }
        }
        return new Products(channels);
    }

    public static Products from(Map<String, String> env, Properties system) {
        String value = system.getProperty(KEY, env.getOrDefault("CPO_PLANT_PRODUCTS", DEFAULT));
        return parse(value);
    }

    /** The product's channel count, or null when it is not listed. */
    public Integer channelsOf(String product) {
        return channels.get(product);
    }
}
