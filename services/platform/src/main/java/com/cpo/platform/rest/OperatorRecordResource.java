package com.cpo.platform.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.persistence.OperatorRecordRepository.Counts;
import com.cpo.platform.persistence.OperatorRecordRepository.Row;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.OperatorRecordService;
import com.cpo.platform.service.Page;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * What went wrong, for operators: dead letters (records that could not be decoded, judged or stored) and corrections
 * (records that came too late to count where they belong), each with its reason and where it came from.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dead letters and corrections")
@RolesAllowed(Roles.VIEWER)
public class OperatorRecordResource {

    private final OperatorRecordService records;

    private final SecurityIdentity identity;

    OperatorRecordResource(OperatorRecordService records, SecurityIdentity identity) {
        this.records = records;
        this.identity = identity;
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "Dead letters, newest first, each with its reason (cpo.dlq.reason), source topic, partition and offset, "
            + "event type when it decodes, and when it was replayed; paged, total in X-Total-Count")
    public Response deadLetters(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size, UriInfo uri) {
        return list(OperatorRecordService.DEAD_LETTER, page, size, uri);
    }

    @GET
    @Path("/corrections")
    @Operation(summary = "Corrections, newest first: station events that arrived after their run was judged, and runs too old "
            + "for their hourly statistics window, each with its reason; paged, total in X-Total-Count")
    public Response corrections(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size, UriInfo uri) {
        return list(OperatorRecordService.CORRECTION, page, size, uri);
    }

    @GET
    @Path("/operator-records/counts")
    @Operation(summary = "How many dead letters (all, and not replayed yet) and corrections there are")
    public Counts counts() {
        return records.counts();
    }

    @POST
    @Path("/dead-letters/{id}/replay")
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Replays a dead letter once its cause is fixed: a station event goes back to the station-events topic "
            + "(a run judged meanwhile makes it a correction, never a second count), a verdict is stored again; once only "
            + "(409 the second time); 404 unknown id; 400 a dead letter of another topic")
    public Row replay(@PathParam("id") long id) {
        return records.replay(id, identity.getPrincipal().getName());
    }

    private Response list(String kind, int page, int size, UriInfo uri) {
        Page<Row> result = records.page(kind, page, size);
        return Paging.ok(result.items(), result.page(), result.size(), result.total(), uri);
    }
}
