package com.cpo.service.rest;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.service.report.YieldReport;
import com.cpo.service.report.YieldWorkbook;
import com.cpo.service.service.YieldService;

/** Excel reports. */
@Path("/api/reports")
@Tag(name = "Reports")
public class ReportResource {

    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final YieldService yields;

    ReportResource(YieldService yields) {
        this.yields = yields;
    }

    @GET
    @Path("/yield.xlsx")
    @Produces(YieldWorkbook.CONTENT_TYPE)
    @Operation(summary = "Yield by lot and failing units of an operation (default ALIGN) as an .xlsx workbook")
    public Response yieldWorkbook(@QueryParam("operation") String operation) {
        // Read before streaming starts, so a database error still becomes a problem+json response.
        YieldReport report = yields.report(yields.operation(operation));
        String fileName = "yield-" + report.operation() + "-" + FILE_STAMP.format(report.generatedAt()) + ".xlsx";
        StreamingOutput body = out -> YieldWorkbook.write(report, out);
        return Response.ok(body, YieldWorkbook.CONTENT_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .build();
    }
}
