package com.cpo.platform.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.report.YieldWorkbook;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.ConflictException;
import com.cpo.platform.service.NotFoundException;
import com.cpo.platform.service.ReportJobs;
import com.cpo.platform.service.WhatIfService;

/**
 * What-if limits: a version (typically a draft) judged against the stored ALIGN runs of a period beside the version in
 * force, as a job ({@code 202} + {@code Location}); the job answers with its progress, then the figures and the workbook.
 */
@Path("/api/limit-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Limits")
@RolesAllowed(Roles.VIEWER)
public class WhatIfResource {

    /** The period and stations of a what-if. */
    public record WhatIfBody(@NotNull @Parameter(description = "runs started at or after (ISO-8601 instant)") Instant from,
            @NotNull @Parameter(description = "... and before") Instant to,
            @Size(max = 200) @Parameter(description = "stations to include; empty or absent: every station") List<@Size(max = 64) String> stations) {
    }

    private final WhatIfService whatIf;
    private final ReportJobs jobs;

    WhatIfResource(WhatIfService whatIf, ReportJobs jobs) {
        this.whatIf = whatIf;
        this.jobs = jobs;
    }

    @POST
    @Path("/{product}/{operation}/versions/{version}/what-if")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENGINEER, Roles.QUALITY})
    @Operation(summary = "What a version would have done: the stored ALIGN runs started in [from, to) at the stations judged again with it "
            + "and with the version in force now (the live judge's rules); 202 + Location of the job to poll")
    @APIResponse(responseCode = "202", description = "the job, QUEUED; poll Location")
    @APIResponse(responseCode = "400", description = "a missing period, a period that ends before it starts, or an operation other than ALIGN",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "burn-in", value = """
                    {"type":"urn:cpo:problem:invalid-request","title":"Invalid request","status":400,"parameter":"operation",
                     "detail":"What-if judges alignment runs (ALIGN); burn-in limits cannot be judged again from stored readings yet.",
                     "instance":"/api/limit-sets/CPO-OE16/BURNIN/versions/3/what-if"}""")))
    @APIResponse(responseCode = "404", description = "no such limit set version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown version", value = """
                    {"type":"urn:cpo:problem:not-found","title":"Not found","status":404,
                     "detail":"Limit set CPO-OE16/ALIGN has no version 9.","instance":"/api/limit-sets/CPO-OE16/ALIGN/versions/9/what-if"}""")))
    public Response start(@PathParam("product") @Size(max = 64) String product, @PathParam("operation") String operation,
            @PathParam("version") @Min(1) int version, @Valid @NotNull WhatIfBody body, UriInfo uri) {
        WhatIfService.Job job = whatIf.start(product, operation, version, body.from(), body.to(), body.stations());
        URI location = uri.getBaseUriBuilder().path("api/limit-sets/what-if/{id}").build(job.id());
        return Response.accepted(job).location(location).build();
    }

    @GET
    @Path("/what-if/{id}")
    @Operation(summary = "A what-if job: progress (runs judged of runsTotal), then the figures per station and channel with both versions "
            + "and the runs that flip; the workbook at …/what-if/{id}/workbook")
    @APIResponse(responseCode = "404", description = "no such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown job", value = """
                    {"type":"urn:cpo:problem:not-found","title":"Not found","status":404,
                     "detail":"No what-if job 0e6f… (finished jobs are deleted after cpo.platform.reports.job-retention).",
                     "instance":"/api/limit-sets/what-if/0e6f"}""")))
    public WhatIfService.Job job(@PathParam("id") String id) {
        return whatIf.find(id).orElseThrow(() -> unknown(id));
    }

    @GET
    @Path("/what-if/{id}/workbook")
    @Produces({YieldWorkbook.CONTENT_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "The what-if workbook of a DONE job: What-if (both versions side by side), Flipped runs (every one)")
    @APIResponse(responseCode = "404", description = "no such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown job", value = """
                    {"type":"urn:cpo:problem:not-found","title":"Not found","status":404,"detail":"No what-if job 0e6f….",
                     "instance":"/api/limit-sets/what-if/0e6f/workbook"}""")))
    @APIResponse(responseCode = "409", description = "the job is not DONE yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "running", value = """
                    {"type":"urn:cpo:problem:conflict","title":"Conflict","status":409,
                     "detail":"What-if job 0e6f… is RUNNING; poll /api/limit-sets/what-if/0e6f… until it is DONE.",
                     "instance":"/api/limit-sets/what-if/0e6f/workbook"}""")))
    public Response workbook(@PathParam("id") String id) {
        WhatIfService.Job job = whatIf.find(id).orElseThrow(() -> unknown(id));
        if (job.state() != ReportJobs.State.DONE) {
            throw new ConflictException("What-if job " + id + " is " + job.state()
                    + (job.error() == null ? "; poll /api/limit-sets/what-if/" + id + " until it is DONE." : ": " + job.error()));
        }
        StreamingOutput file = out -> jobs.download(id, out);
        return Response.ok(file, YieldWorkbook.CONTENT_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + job.fileName() + "\"").build();
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException("No what-if job " + id + " (finished jobs are deleted after cpo.platform.reports.job-retention).");
    }
}
