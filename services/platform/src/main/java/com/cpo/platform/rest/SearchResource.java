package com.cpo.platform.rest;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.domain.PlantCalendar;
import com.cpo.platform.persistence.LotRepository.Hit;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.LotQueryService;

/** The search box of every page, and the plant's facts the pages show times in. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pages")
@RolesAllowed(Roles.VIEWER)
public class SearchResource {

    /**
     * The plant's calendar: times on the pages are in {@code zone}.
     *
     * @param zone the plant's time zone (IANA name)
     * @param shifts each shift's name and local start and end, HH:mm
     */
    public record Plant(String zone, List<Shift> shifts) {
    }

    public record Shift(String name, String start, String end) {
    }

    private final LotQueryService lots;
    private final PlantCalendar calendar;

    SearchResource(LotQueryService lots, PlantCalendar calendar) {
        this.lots = lots;
        this.calendar = calendar;
    }

    @GET
    @Path("/search")
    @Operation(summary = "Units whose serial and lots whose name start with q (any case), exact matches first: kind unit "
            + "(serial, product, lot) or lot (product, lot); at most max of each")
    public List<Hit> search(@QueryParam("q") @Size(max = 128) String q,
            @QueryParam("max") @DefaultValue("10") @Min(1) @Max(100) int max) {
        return lots.search(q, max);
    }

    @GET
    @Path("/plant")
    @PermitAll // a line screen's read-only link shows times in the plant's zone too; the zone and shifts are no secret
    @Operation(summary = "The plant's time zone and shifts (cpo.plant.zone, cpo.plant.shifts); no login needed")
    public Plant plant() {
        return new Plant(calendar.zone().getId(), calendar.shifts().stream()
                .map(s -> new Shift(s.name(), s.start().toString(), s.end().toString())).toList());
    }
}
