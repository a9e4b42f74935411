package com.cpo.platform.rest;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.Page;
import com.cpo.platform.service.SpcService;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Control charts of final coupling loss per product × station × channel (X̄ on plant-hour subgroups): the points with
 * their limits and the Western Electric rules they broke, and the baselines an engineer freezes and versions.
 */
@Path("/api/spc")
@Tag(name = "SPC")
@RolesAllowed({Roles.VIEWER, Roles.SCREEN})
@Produces(MediaType.APPLICATION_JSON)
public class SpcResource {

    /** A baseline to freeze: the period its hourly subgroups come from, and why. */
    public record FreezeBody(@NotBlank @Parameter(description = "ISO-8601 instant, inclusive") String from,
            @NotBlank @Parameter(description = "ISO-8601 instant, exclusive") String to, @NotBlank @Size(max = 1000) String reason) {
    }

    private final SpcService spc;
    private final SecurityIdentity identity;

    SpcResource(SpcService spc, SecurityIdentity identity) {
        this.spc = spc;
        this.identity = identity;
    }

    @GET
    @Path("/chart")
    @Operation(summary = "One channel's control chart: hourly points (n, mean, limits, z, rules broken) oldest first, and the newest baseline;"
            + " the last 7 days unless from/to; 400 for a bad time or a period over 92 days")
    public SpcService.ChartView chart(@QueryParam("product") @NotBlank @Size(max = 64) String product,
            @QueryParam("station") @NotBlank @Size(max = 64) String station, @QueryParam("channel") @Min(1) @Max(64) int channel,
            @QueryParam("from") String from, @QueryParam("to") String to) throws SQLException {
        Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(7)) : instant("from", from);
        if (Duration.between(start, end).compareTo(Duration.ofDays(92)) > 0 || !start.isBefore(end)) {
            throw new InvalidRequestException("from", "a chart covers a period of up to 92 days that ends after it starts, not " + start + " .. " + end);
        }
        return spc.chart(product, station, channel, start, end);
    }

    @GET
    @Path("/violations")
    @Operation(summary = "Western Electric rule violations, newest first, of a product and station when given, in a period (the last 7 days"
            + " unless from/to); paged, total in X-Total-Count")
    public Response violations(@QueryParam("product") @Size(max = 64) String product, @QueryParam("station") @Size(max = 64) String station,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, UriInfo uri) throws SQLException {
        Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(7)) : instant("from", from);
        Page<SpcService.ViolationView> result = spc.violations(blankToNull(product), blankToNull(station), start, end, page, size);
        return Paging.ok(result.items(), result.page(), result.size(), result.total(), uri);
    }

    @GET
    @Path("/baselines/{product}/{station}")
    @Operation(summary = "Every frozen baseline of a product at a station, newest first, per channel centre and σ")
    public java.util.List<SpcService.BaselineView> baselines(@PathParam("product") @Size(max = 64) String product,
            @PathParam("station") @Size(max = 64) String station) throws SQLException {
        return spc.baselines(product, station);
    }

    @POST
    @Path("/baselines/{product}/{station}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Freeze the next baseline version from the stored hourly subgroups of a period (at least 20 per channel; channels"
            + " with fewer are left out and listed) and publish it to the analytics app; 400 when no channel has enough")
    public Response freeze(@PathParam("product") @Size(max = 64) String product, @PathParam("station") @Size(max = 64) String station,
            @Valid @NotNull FreezeBody body, UriInfo uri) throws SQLException {
        SpcService.BaselineView frozen = spc.freeze(product, station, instant("from", body.from()), instant("to", body.to()),
                body.reason().strip(), identity.getPrincipal().getName());
        URI location = uri.getBaseUriBuilder().path("api/spc/baselines/{product}/{station}").build(product, station);
        return Response.created(location).entity(frozen).build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Instant instant(String name, String text) {
        return RequestInstants.parse(name, text);
    }
}
