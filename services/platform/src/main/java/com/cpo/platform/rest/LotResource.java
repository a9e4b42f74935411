package com.cpo.platform.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.YieldService;

/** Yield per product and lot, as JSON. */
@Path("/api/lots")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Yield")
@RolesAllowed(Roles.VIEWER)
public class LotResource {

    /**
     * Yield of one lot; fractions 0..1.
     *
     * @param fpy first-pass yield
     * @param finalYield final yield
     * @param retestRate (runs - units) / units
     */
    public record LotYield(String product, String lot, int units, int firstPassUnits, double fpy, int finalPassUnits,
            double finalYield, int runs, double retestRate) {
    }

    private final YieldService yields;

    LotResource(YieldService yields) {
        this.yields = yields;
    }

    @GET
    @Operation(summary = "FPY and final yield of every lot for an operation (default ALIGN), by product then lot; "
            + "paged, total in X-Total-Count, next/prev in Link")
    public Response lots(@Valid @BeanParam FilterParams filters,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size, UriInfo uri) {
        List<LotYield> all = yields.lots(filters.toFilter(yields)).stream()
                .map(l -> new LotYield(l.product(), l.lot(), l.figures().units(), l.figures().firstPassUnits(),
                        l.figures().firstPassYield(), l.figures().finalPassUnits(), l.figures().finalYield(),
                        l.figures().runs(), l.figures().retestRate()))
                .toList();
        return Paging.ok(Paging.slice(all, page, size), page, size, all.size(), uri);
    }
}
