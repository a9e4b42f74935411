package com.cpo.platform.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.cpo.domain.Dpat;
import com.cpo.domain.Products;
import com.cpo.platform.persistence.DpatRepository;
import com.cpo.platform.persistence.DpatRepository.PassingRun;

/**
 * DPAT outliers (domain {@link Dpat}): passing ALIGN runs screened against robust limits of their lot, or of their
 * station's last runs, with each product's settings. Screens are computed from the stored values when asked, so the unit
 * page, the lot page, the dashboard and the workbook show the same flag with the same limits; a lot's limits settle as the
 * lot fills.
 */
@ApplicationScoped
public class DpatService {

    /** One channel of a screened run; limits null where the population was below the minimum. */
    public record ChannelScreen(int channel, double valueDb, Double medianDb, Double robustSigmaDb, Double lowerDb, Double upperDb,
            Integer population, boolean outside) {
    }

    /** A screened run: "DPAT outlier" when any channel is outside its robust limits. */
    public record RunScreen(String runId, String serial, String lot, String station, Instant start, String basis, double k,
            boolean outlier, List<ChannelScreen> channels) {
    }

    /** A product's settings as the API shows them; {@code defaults}: no row, {@link Dpat#DEFAULTS} apply. */
    public record SettingsView(String product, boolean enabled, double k, int minPopulation, String basis, int window, boolean defaults,
            String updatedBy, Instant updatedAt) {
    }

    private final DpatRepository repository;
    private final Products products;

    DpatService(DpatRepository repository, Products products) {
        this.repository = repository;
        this.products = products;
    }

    public Dpat.Settings settings(String product) {
        return repository.settings(product).map(DpatRepository.StoredSettings::settings).orElse(Dpat.DEFAULTS);
    }

    public SettingsView settingsView(String product) {
        return repository.settings(product).map(DpatService::view)
                .orElse(view(new DpatRepository.StoredSettings(product, Dpat.DEFAULTS, null, null)));
    }

    public List<SettingsView> allSettings() {
        return repository.allSettings().stream().map(DpatService::view).toList();
    }

    private static SettingsView view(DpatRepository.StoredSettings s) {
        Dpat.Settings x = s.settings();
        return new SettingsView(s.product(), x.enabled(), x.k(), x.minPopulation(), x.basis().name(), x.window(), s.updatedBy() == null,
                s.updatedBy(), s.updatedAt());
    }

    /** Sets a product's settings; a problem is a 400 naming the field. */
    public SettingsView save(String product, boolean enabled, double k, int minPopulation, String basis, int window, String user) {
        Dpat.Basis b;
        try {
            b = Dpat.Basis.valueOf(basis == null ? "" : basis.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("basis", "basis must be LOT (the lot's passing units) or WINDOW (the station's last runs), not '"
                    + basis + "'.");
        }
        String problem = Dpat.Settings.problem(k, minPopulation, b, window);
        if (problem != null) {
            String field = problem.startsWith("k ") ? "k" : problem.startsWith("minimum") ? "minPopulation" : "window";
            throw new InvalidRequestException(field, problem + ".");
        }
        repository.save(product, new Dpat.Settings(enabled, k, minPopulation, b, window), user);
        return settingsView(product);
    }

    /** Every passing run of a lot, screened with the product's settings (empty when DPAT is off). */
    public List<RunScreen> lot(String product, String lot) {
        Dpat.Settings settings = settings(product);
        if (!settings.enabled()) {
            return List.of();
        }
        int channels = channels(product);
        List<PassingRun> ofLot = repository.ofLot(product, lot, channels);
        if (settings.basis() == Dpat.Basis.LOT) {
            return screen(ofLot, r -> r.lot(), settings, r -> true);
        }
        // per station window: each station's runs around the lot's, then the lot's own screens
        java.util.Set<String> ids = new java.util.HashSet<>();
        ofLot.forEach(r -> ids.add(r.runId()));
        List<RunScreen> out = new ArrayList<>();
        Map<String, List<PassingRun>> byStation = new LinkedHashMap<>();
        ofLot.forEach(r -> byStation.computeIfAbsent(r.station(), s -> new ArrayList<>()).add(r));
        byStation.forEach((station, runs) -> out.addAll(screen(repository.atStation(product, station, runs.get(0).start(),
                runs.get(runs.size() - 1).start(), settings.window(), channels), PassingRun::station, settings, r -> ids.contains(r.runId()))));
        out.sort(Comparator.comparing(RunScreen::start).thenComparing(RunScreen::runId));
        return out;
    }

    /** A unit's passing ALIGN runs screened (empty when DPAT is off or it has none). */
    public List<RunScreen> unit(String product, String lot, String serial) {
        return lot(product, lot).stream().filter(s -> s.serial().equals(serial)).toList();
    }

    /** The longest period {@link #outliers} screens at once: each lot or station of it is read whole. */
    public static final java.time.Duration MAX_PERIOD = java.time.Duration.ofDays(92);

    /** The outliers among passing runs started in [from, to) of a product (null: every product), by start; at most {@link #MAX_PERIOD}. */
    public List<RunScreen> outliers(String product, Instant from, Instant to) {
        if (java.time.Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new InvalidRequestException("from", "DPAT outliers are screened for at most " + MAX_PERIOD.toDays() + " days at once, not "
                    + java.time.Duration.between(from, to).toDays() + " (" + from + " to " + to + ").");
        }
        Map<String, List<String[]>> byProduct = new LinkedHashMap<>();
        repository.scopes(product, from, to).forEach(s -> byProduct.computeIfAbsent(s[0], p -> new ArrayList<>()).add(s));
        List<RunScreen> out = new ArrayList<>();
        byProduct.forEach((p, scopes) -> {
            Dpat.Settings settings = settings(p);
            if (!settings.enabled()) {
                return;
            }
            int channels = channels(p);
            java.util.function.Predicate<PassingRun> inRange = r -> !r.start().isBefore(from) && r.start().isBefore(to);
            if (settings.basis() == Dpat.Basis.LOT) {
                scopes.stream().map(s -> s[1]).distinct().forEach(lot -> out.addAll(screen(repository.ofLot(p, lot, channels), PassingRun::lot,
                        settings, inRange)));
            } else {
                scopes.stream().map(s -> s[2]).distinct().forEach(station -> out.addAll(screen(repository.atStation(p, station, from,
                        to.minusNanos(1), settings.window(), channels), PassingRun::station, settings, inRange)));
            }
        });
        out.removeIf(s -> !s.outlier());
        out.sort(Comparator.comparing(RunScreen::start).thenComparing(RunScreen::runId));
        return out;
    }

    private static List<RunScreen> screen(List<PassingRun> runs, java.util.function.Function<PassingRun, String> group, Dpat.Settings settings,
            java.util.function.Predicate<PassingRun> keep) {
        List<Dpat.Part> parts = new ArrayList<>(runs.size());
        runs.forEach(r -> parts.add(new Dpat.Part(r.runId(), group.apply(r), r.finalLossDb())));
        List<Dpat.Screened> screened = Dpat.screen(parts, settings);
        List<RunScreen> out = new ArrayList<>();
        for (int i = 0; i < screened.size(); i++) {
            PassingRun r = runs.get(i);
            if (keep.test(r)) {
                out.add(view(r, screened.get(i), settings));
            }
        }
        return out;
    }

    private static RunScreen view(PassingRun r, Dpat.Screened s, Dpat.Settings settings) {
        List<ChannelScreen> channels = new ArrayList<>();
        for (int c = 0; c < r.finalLossDb().length; c++) {
            double v = r.finalLossDb()[c];
            if (Double.isNaN(v)) {
                continue; // a channel the unit does not have, or was not measured
            }
            Dpat.Limits l = c < s.limitsByChannel().length ? s.limitsByChannel()[c] : null;
            channels.add(new ChannelScreen(c + 1, v, l == null ? null : l.median(), l == null ? null : l.robustSigma(),
                    l == null ? null : l.lower(), l == null ? null : l.upper(), l == null ? null : l.population(), s.outlierChannels().contains(c + 1)));
        }
        return new RunScreen(r.runId(), r.serial(), r.lot(), r.station(), r.start(), settings.basis().name(), settings.k(), s.outlier(), channels);
    }

    private int channels(String product) {
        Integer known = products.channelsOf(product);
        return known != null ? known : com.cpo.domain.Channels.MAX;
    }
}
