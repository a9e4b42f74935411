package com.cpo.platform.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.ReportJobs;
import com.cpo.platform.service.ReportSchedules;

import io.quarkus.security.identity.SecurityIdentity;

/** Reports on a schedule, and the files each has made (kept for the schedule's keepDays). */
@Path("/api/reports/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reports")
@RolesAllowed(Roles.VIEWER)
public class ReportScheduleResource {

    private static final String BAD_SCHEDULE = """
            {"type":"urn:cpo:problem:invalid-request","title":"Invalid request","status":400,
             "detail":"dayOfWeek 'someday' is not MONDAY … SUNDAY","instance":"/api/reports/schedules","parameter":"dayOfWeek",
             "errors":[{"parameter":"dayOfWeek","message":"dayOfWeek 'someday' is not MONDAY … SUNDAY"}]}""";

    private final ReportSchedules schedules;
    private final SecurityIdentity identity;

    ReportScheduleResource(ReportSchedules schedules, SecurityIdentity identity) {
        this.schedules = schedules;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every report schedule with its next run (the plant's clock: at is local time in zone)")
    public List<ReportSchedules.ScheduleView> list() {
        return schedules.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Schedule a yield workbook: cadence DAILY or WEEKLY (with dayOfWeek), at HH:mm of the plant's clock, the report "
            + "filters (operation, product, lot, station; absent = any), rawData (default true), keepDays (default 30) its files are kept; "
            + "each run covers the day or week that ends at its time")
    @APIResponse(responseCode = "201", description = "the schedule, with its first run in nextRunAt")
    @APIResponse(responseCode = "400", description = "a field that is missing or not one of its values, named in parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad weekday", value = BAD_SCHEDULE)))
    @APIResponse(responseCode = "403", description = "the caller has no engineer role")
    public Response create(@NotNull ReportSchedules.NewSchedule body, UriInfo uri) {
        ReportSchedules.ScheduleView made = schedules.create(body, identity.getPrincipal().getName());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(made.id())).build()).entity(made).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One schedule")
    @APIResponse(responseCode = "404", description = "no such schedule")
    public ReportSchedules.ScheduleView get(@PathParam("id") long id) {
        return schedules.find(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Stop a schedule; the files it made stay until their keepUntil")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no such schedule")
    public Response delete(@PathParam("id") long id) {
        schedules.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/files")
    @Operation(summary = "The runs of a schedule whose files are kept, newest first: each a report job (download at "
            + "/api/reports/jobs/{jobId}/file when DONE) with the period it covers and keepUntil")
    @APIResponse(responseCode = "404", description = "no such schedule")
    public List<ReportJobs.JobView> files(@PathParam("id") long id) {
        return schedules.files(id);
    }

    @POST
    @Path("/{id}/run")
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Run a schedule now, for the day or week that ends now; its next scheduled run is unchanged")
    @APIResponse(responseCode = "202", description = "the report job")
    @APIResponse(responseCode = "404", description = "no such schedule")
    @APIResponse(responseCode = "429", description = "as many report jobs are queued as this service takes")
    public Response runNow(@PathParam("id") long id, UriInfo uri) {
        ReportJobs.JobView job = schedules.runNow(id);
        return Response.accepted(job).location(uri.getBaseUriBuilder().path("api/reports/jobs/{id}").build(job.id())).build();
    }
}
