package com.cpo.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.cpo.domain.PlantCalendar;
import com.cpo.domain.Products;

/**
 * The plant's facts every component reads from the same keys: {@code cpo.plant.zone} and {@code cpo.plant.shifts} (the
 * calendar of hours, shifts, days, weeks and months), {@code cpo.plant.products} (channels per product).
 */
@ApplicationScoped
public class PlantConfig {

    @Produces
    @Singleton
    PlantCalendar calendar(@ConfigProperty(name = PlantCalendar.SHIFTS_KEY, defaultValue = PlantCalendar.DEFAULT_SHIFTS) String shifts,
            @ConfigProperty(name = PlantCalendar.ZONE_KEY, defaultValue = "UTC") String zone) {
        return PlantCalendar.parse(shifts, zone);
    }

    @Produces
    @Singleton
    Products products(@ConfigProperty(name = Products.KEY, defaultValue = Products.DEFAULT) String products) {
        return Products.parse(products);
    }
}
