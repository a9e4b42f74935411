package com.cpo.platform.rest;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import com.cpo.platform.service.ReportFilter;
import com.cpo.platform.service.YieldService;

/** The filters every yield, statistics and report request takes. */
public class FilterParams {

    @QueryParam("operation")
    @Size(max = 16)
    @Parameter(description = "ALIGN or BURNIN; default cpo.platform.reports.default-operation")
    public String operation;

    @QueryParam("product")
    @Size(max = 64)
    public String product;

    @QueryParam("lot")
    @Size(max = 64)
    public String lot;

    @QueryParam("station")
    @Size(max = 64)
    @Parameter(description = "only this station's runs count")
    public String station;

    @QueryParam("from")
    @Size(max = 40)
    @Parameter(description = "ISO-8601 instant, inclusive: units whose first run of the operation started at or after it")
    public String from;

    @QueryParam("to")
    @Size(max = 40)
    @Parameter(description = "ISO-8601 instant, exclusive")
    public String to;

    ReportFilter toFilter(YieldService yields) {
        return ReportFilter.of(yields.operation(operation), product, lot, station, from, to);
    }
}
