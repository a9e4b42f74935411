package com.cpo.platform.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.Page;
import com.cpo.platform.service.UnitQueryService;
import com.cpo.platform.service.UnitView;

/** Units and a unit's history: every run with its verdict, failed checks and measured values. */
@Path("/api/units")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Units")
@RolesAllowed(Roles.VIEWER)
public class UnitResource {

    private final UnitQueryService units;

    UnitResource(UnitQueryService units) {
        this.units = units;
    }

    @GET
    @Operation(summary = "Units of a product and/or lot, by serial; paged, total in X-Total-Count, next/prev in Link")
    public Response units(@QueryParam("product") @Size(max = 64) String product,
            @QueryParam("lot") @Size(max = 64) String lot,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size, UriInfo uri) {
        Page<UnitQueryService.UnitSummary> result = units.units(product, lot, page, size);
        return Paging.ok(result.items(), result.page(), result.size(), result.total(), uri);
    }

    @GET
    @Path("/{serial}")
    @Operation(summary = "A unit with all its runs of every operation in start-time order: verdicts, failed checks, "
            + "measured values with their limits, burn-in summaries, and runs still in progress; 404 problem+json for an unknown serial")
    public UnitView unit(@PathParam("serial") @Size(max = 128) String serial) {
        return units.unit(serial);
    }
}
