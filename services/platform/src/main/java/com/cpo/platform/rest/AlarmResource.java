package com.cpo.platform.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

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
import com.cpo.platform.service.BurnInAlarms;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.Page;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Burn-in alarms and their lifecycle: OPEN → CLEARED (the projection receded) or ACKNOWLEDGED (an engineer, with a note)
 * → CLOSED (the unit left the rack, with its verdict). History is kept.
 */
@Path("/api/alarms")
@Tag(name = "Alarms")
@RolesAllowed({Roles.VIEWER, Roles.SCREEN})
@Produces(MediaType.APPLICATION_JSON)
public class AlarmResource {

    /** An acknowledgement: what the engineer saw or did. */
    public record AcknowledgeBody(@NotBlank @Size(max = 1000) String note) {
    }

    private final BurnInAlarms alarms;
    private final SecurityIdentity identity;

    AlarmResource(BurnInAlarms alarms, SecurityIdentity identity) {
        this.alarms = alarms;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Burn-in alarms, latest raised first, filtered; paged, total in X-Total-Count; 400 for an unknown state or a bad time")
    public Response list(@QueryParam("state") @Parameter(description = "OPEN, CLEARED, ACKNOWLEDGED or CLOSED") String state,
            @QueryParam("kind") @Parameter(description = "SUDDEN_DROP, POWER_DRIFT_PROJECTED or BIAS_DRIFT_PROJECTED") @Size(max = 32) String kind,
            @QueryParam("station") @Size(max = 64) String station, @QueryParam("serial") @Size(max = 128) String serial,
            @QueryParam("product") @Size(max = 64) String product, @QueryParam("lot") @Size(max = 64) String lot,
            @QueryParam("from") @Parameter(description = "raised at or after, ISO-8601 instant") String from,
            @QueryParam("to") @Parameter(description = "raised before, ISO-8601 instant") String to,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, UriInfo uri) throws SQLException {
        BurnInAlarms.Filter filter = new BurnInAlarms.Filter(state(state), kind, station, serial, product, lot, instant("from", from),
                instant("to", to));
        Page<BurnInAlarms.AlarmView> result = alarms.list(filter, page, size);
        return Paging.ok(result.items(), result.page(), result.size(), result.total(), uri);
    }

    @GET
    @Path("/counts")
    @Operation(summary = "Open and acknowledged burn-in alarms now, of a product and lot when given")
    public BurnInAlarms.Counts counts(@QueryParam("product") @Size(max = 64) String product, @QueryParam("lot") @Size(max = 64) String lot)
            throws SQLException {
        return alarms.counts(product, lot);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One burn-in alarm with every change it went through; 404 when there is none")
    public BurnInAlarms.Detail get(@PathParam("id") long id) throws SQLException {
        return alarms.detail(id);
    }

    @POST
    @Path("/{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Acknowledge an open burn-in alarm with a note; 409 when it is not open, 404 when there is none")
    public BurnInAlarms.AlarmView acknowledge(@PathParam("id") long id, @Valid @NotNull AcknowledgeBody body) throws SQLException {
        return alarms.acknowledge(id, identity.getPrincipal().getName(), body.note());
    }

    private static BurnInAlarms.State state(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return BurnInAlarms.State.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("state", "'" + text + "' is not a state: OPEN, CLEARED, ACKNOWLEDGED or CLOSED");
        }
    }

    private static Instant instant(String name, String text) {
        return RequestInstants.parse(name, text);
    }
}
