package com.cpo.platform.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The service's roles. Every role but {@code screen} includes {@code viewer} (mapped in {@code application.properties},
 * {@code quarkus.http.auth.roles-mapping}, so an identity provider's groups need name only the highest role).
 */
public final class Roles {

    /** Dashboards, unit histories, lots, yield, statistics, reports. */
    public static final String VIEWER = "viewer";
    /** Limit drafts and imports, dead-letter replays. */
    public static final String ENGINEER = "engineer";
    /** Releases limit sets (never their own drafts). */
    public static final String QUALITY = "quality";
    /** Users and line screens. */
    public static final String ADMIN = "admin";
    /** A line screen's link: the live dashboard stream only. */
    public static final String SCREEN = "screen";

    /** The roles a person may be given. */
    public static final List<String> PERSON_ROLES = List.of(VIEWER, ENGINEER, QUALITY, ADMIN);

    private Roles() {
    }

    /**
     * The roles named in {@code text} (comma-separated), checked and in a stable order.
     *
     * @throws IllegalArgumentException naming the unknown role
     */
    public static String parse(String text) {
        Set<String> roles = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String role = part.strip().toLowerCase(Locale.ROOT);
            if (role.isEmpty()) {
                continue;
            }
            if (!PERSON_ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + part.strip() + "': expected any of " + String.join(", ", PERSON_ROLES));
            }
            roles.add(role);
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("at least one role is needed: " + String.join(", ", PERSON_ROLES));
        }
        return String.join(",", PERSON_ROLES.stream().filter(roles::contains).toList());
    }
}
