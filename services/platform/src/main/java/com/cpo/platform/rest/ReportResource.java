package com.cpo.platform.rest;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.PlatformConfig;
import com.cpo.platform.report.YieldReport;
import com.cpo.platform.report.YieldWorkbook;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.ConflictException;
import com.cpo.platform.service.NotFoundException;
import com.cpo.platform.service.ReportFilter;
import com.cpo.platform.service.ReportJobs;
import com.cpo.platform.service.WorkbookService;
import com.cpo.platform.service.YieldService;

/**
 * Excel yield reports. A small report is streamed at once; one with more raw rows than
 * {@code cpo.platform.reports.async-threshold-rows} (or any, with {@code async=true}) is answered {@code 202}
 * with a job to poll ({@code Location}), whose file is downloaded when it is done.
 */
@jakarta.ws.rs.Path("/api/reports")
@Tag(name = "Reports")
@RolesAllowed(Roles.VIEWER)
public class ReportResource {

    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final YieldService yields;
    private final WorkbookService workbooks;
    private final ReportJobs jobs;
    private final PlatformConfig config;
    private final com.cpo.platform.service.StdfExport stdf;
    private final String version;

    ReportResource(YieldService yields, WorkbookService workbooks, ReportJobs jobs, PlatformConfig config,
            com.cpo.platform.service.StdfExport stdf,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.stdf = stdf;
        this.version = version;
        this.yields = yields;
        this.workbooks = workbooks;
        this.jobs = jobs;
        this.config = config;
    }

    @GET
    @jakarta.ws.rs.Path("/yield.xlsx")
    @Produces({YieldWorkbook.CONTENT_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Yield workbook: Summary (with trend and Pareto charts), Yield by lot, By station, By shift, "
            + "Coupling loss (with histogram), Control chart, DPAT outliers, Failing units, Raw data, Definitions; 202 + Location for a large one")
    public Response yieldWorkbook(@Valid @BeanParam FilterParams filters,
            @QueryParam("async") @Parameter(description = "true: always build as a job") boolean async,
            @QueryParam("rawData") @DefaultValue("true") @Parameter(description = "false: leave the raw measurements out (the "
                    + "Raw data sheet keeps its header): a summary of a long period in seconds") boolean rawData,
            UriInfo uri) {
        ReportFilter filter = filters.toFilter(yields);
        // Aggregates are read before the response starts, so a database error still becomes a problem+json response.
        YieldReport report = workbooks.report(filter);
        long rawRows = rawData ? workbooks.rawRowCount(filter) : 0;
        String fileName = "yield-" + report.operation() + "-" + FILE_STAMP.format(report.generatedAt()) + ".xlsx";
        if (async || rawRows > config.reports().asyncThresholdRows()) {
            ReportJobs.JobView job = jobs.submit(report, filter, rawData, rawRows, fileName);
            URI location = uri.getBaseUriBuilder().path("api/reports/jobs/{id}").build(job.id());
            return Response.accepted(job).location(location).type(MediaType.APPLICATION_JSON).build();
        }
        StreamingOutput body = out -> workbooks.writeWorkbook(report, filter, rawData, out, n -> { });
        return Response.ok(body, YieldWorkbook.CONTENT_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    /** STDF's media type (none is registered). */
    public static final String STDF_TYPE = "application/octet-stream";

    @GET
    @jakarta.ws.rs.Path("/runs.stdf")
    @Produces({STDF_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "The runs of the filters as STDF V4 (FAR, MIR, PIR/PTR/PRR per run, TSR, HBR, SBR, PCR, MRR), streamed: coupling loss "
            + "and PDL per step and channel with the limits that bound them, test number = parameter × 100000 + step × 1000 + channel "
            + "(coupling_loss 1, pdl 2; PRE_CURE 1, POST_UV 2, POST_THERMAL 3); hard bins 1 PASS, 2 FAIL, 3 INCOMPLETE, 4 not judged; "
            + "soft bins 1 PASS, 10 coupling_loss, 11 pdl, 12 cure_shift, 13 channel_spread, 14 power_drift, 15 bias_drift, 16 sudden_drop, "
            + "19 other failure, 30 INCOMPLETE, 40 not judged; attempt > 1 is a retest")
    public Response runsStdf(@Valid @BeanParam FilterParams filters) {
        ReportFilter filter = filters.toFilter(yields);
        String fileName = "runs-" + filter.operation() + (filter.product() == null ? "" : "-" + filter.product()) + "-"
                + FILE_STAMP.format(java.time.Instant.now()) + ".stdf";
        fileName = fileName.replaceAll("[^A-Za-z0-9._-]", "_"); // a product name is the caller's text
        StreamingOutput body = out -> stdf.write(filter, version, out);
        return Response.ok(body, STDF_TYPE).header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"").build();
    }

    @GET
    @jakarta.ws.rs.Path("/jobs/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Progress of a report job; when DONE, the file is at Location (…/jobs/{id}/file)")
    public Response job(@PathParam("id") String id, UriInfo uri) {
        ReportJobs.JobView job = jobs.find(id).orElseThrow(() -> unknownJob(id));
        Response.ResponseBuilder response = Response.ok(job);
        if (job.state() == ReportJobs.State.DONE) {
            response.location(uri.getBaseUriBuilder().path("api/reports/jobs/{id}/file").build(id));
        }
        return response.build();
    }

    @GET
    @jakarta.ws.rs.Path("/jobs/{id}/file")
    @Produces({YieldWorkbook.CONTENT_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "The workbook of a DONE job; 409 while it is still being built")
    public Response jobFile(@PathParam("id") String id) {
        ReportJobs.JobView job = jobs.find(id).orElseThrow(() -> unknownJob(id));
        if (job.state() != ReportJobs.State.DONE) {
            throw new ConflictException("Report job " + id + " is " + job.state()
                    + (job.error() == null ? "; poll /api/reports/jobs/" + id + " until it is DONE." : ": " + job.error()));
        }
        StreamingOutput file = out -> jobs.download(id, out);
        return Response.ok(file, YieldWorkbook.CONTENT_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + job.fileName() + "\"")
                .build();
    }

    private static NotFoundException unknownJob(String id) {
        return new NotFoundException("No report job " + id + " (finished jobs are deleted after cpo.platform.reports.job-retention).");
    }
}
