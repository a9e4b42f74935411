package com.cpo.service.rest;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.service.service.UnitQueryService;
import com.cpo.service.service.UnitView;

/** A unit's history: every judged run with its failed checks. */
@Path("/api/units")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Units")
public class UnitResource {

    private final UnitQueryService units;

    UnitResource(UnitQueryService units) {
        this.units = units;
    }

    @GET
    @Path("/{serial}")
    @Operation(summary = "A unit with all its runs in start-time order; 404 problem+json for an unknown serial")
    public UnitView unit(@PathParam("serial") @Size(max = 128) String serial) {
        return units.unit(serial);
    }
}
