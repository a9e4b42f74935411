package com.cpo.service.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.service.service.YieldService;

/** Yield per product and lot, as JSON. */
@Path("/api/lots")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Yield")
public class LotResource {

    /**
     * Yield of one lot.
     *
     * @param fpy first-pass yield as a fraction 0..1
     * @param finalYield final yield as a fraction 0..1
     */
    public record LotYield(String product, String lot, int units, double fpy, double finalYield) {
    }

    private final YieldService yields;

    LotResource(YieldService yields) {
        this.yields = yields;
    }

    @GET
    @Operation(summary = "FPY and final yield of every lot for an operation (default ALIGN)")
    public List<LotYield> lots(@QueryParam("operation") String operation) {
        return yields.lots(yields.operation(operation)).stream()
                .map(l -> new LotYield(l.product(), l.lot(), l.figures().units(), l.figures().firstPassYield(),
                        l.figures().finalYield()))
                .toList();
    }
}
