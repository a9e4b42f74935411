package com.cpo.platform.rest;

import java.util.List;

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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.BurnInCurves;
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
    private final BurnInCurves curves;

    UnitResource(UnitQueryService units, BurnInCurves curves) {
        this.units = units;
        this.curves = curves;
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
    @APIResponse(responseCode = "404", description = "no event names this serial",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown serial",
                    value = UNKNOWN_SERIAL)))
    public UnitView unit(@PathParam("serial") @Size(max = 128) String serial) {
        return units.unit(serial);
    }

    @GET
    @Path("/{serial}/burn-in")
    @Operation(summary = "The unit's burn-in drift curves per run and channel, from every stored reading: power drift (dB) and "
            + "bias drift (%) from the channel's baseline at each reading, the judged drifts and largest sudden drop, and the "
            + "limits that bind the channel; more than maxPoints readings of a channel are averaged in consecutive buckets "
            + "(readingsPerPoint says how many)")
    @APIResponse(responseCode = "404", description = "no event names this serial",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown serial",
                    value = UNKNOWN_SERIAL)))
    public List<BurnInCurves.Run> burnIn(@PathParam("serial") @Size(max = 128) String serial,
            @QueryParam("maxPoints") @DefaultValue("" + BurnInCurves.DEFAULT_MAX_POINTS) @Min(10) @Max(100_000) int maxPoints) {
        return curves.of(serial, maxPoints);
    }

    @GET
    @Path("/{serial}/scans")
    @Operation(summary = "The power-vs-position scans of the unit's alignment steps, where the tester wrote one: per run, step and "
            + "channel the fiber positions (xUm, yUm, µm from the peak) and the coupled power at each (powerDbm), same length")
    @APIResponse(responseCode = "404", description = "no event names this serial",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown serial",
                    value = UNKNOWN_SERIAL)))
    public List<com.cpo.platform.persistence.MeasurementRepository.Scan> scans(@PathParam("serial") @Size(max = 128) String serial) {
        return units.scans(serial);
    }

    static final String UNKNOWN_SERIAL = """
            {"type":"urn:cpo:problem:unit-not-found","title":"Unit not found","status":404,
             "detail":"No unit with serial 'OE-0000' is known: no run of it has been reported or judged.",
             "instance":"/api/units/OE-0000","parameter":"serial"}""";
}
