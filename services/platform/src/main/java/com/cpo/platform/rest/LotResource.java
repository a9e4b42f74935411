package com.cpo.platform.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.persistence.LotRepository.FailureCount;
import com.cpo.platform.persistence.LotRepository.LotUnit;
import com.cpo.platform.persistence.LotRepository.OutcomeFilter;
import com.cpo.platform.persistence.LotRepository.UnitOrder;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.LotQueryService;
import com.cpo.platform.service.Page;
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
    private final LotQueryService lots;

    LotResource(YieldService yields, LotQueryService lots) {
        this.yields = yields;
        this.lots = lots;
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

    @GET
    @Path("/{product}/{lot}/units")
    @Operation(summary = "A lot's units with their first and final outcome and runs per operation; filter by outcome (ALL, "
            + "FAILED: the latest attempt of some operation did not pass, PASSED, RETESTED: passed in the end but not at the "
            + "first attempt), order by SERIAL, FIRST_TESTED or LAST_TESTED (newest first); paged, total in X-Total-Count")
    @APIResponse(responseCode = "200", description = "the page of units")
    @APIResponse(responseCode = "400", description = "an outcome or order that is not one of the listed values, or a size over 1000",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad outcome",
                    value = Problem.EXAMPLE_400)))
    @APIResponse(responseCode = "404", description = "no event named this lot of this product",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown lot",
                    value = Problem.EXAMPLE_404)))
    public Response units(@PathParam("product") @Size(max = 64) String product, @PathParam("lot") @Size(max = 64) String lot,
            @QueryParam("outcome") @DefaultValue("ALL") @Size(max = 16) String outcome,
            @QueryParam("order") @DefaultValue("SERIAL") @Size(max = 16) String order,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size, UriInfo uri) {
        Page<LotUnit> result = lots.units(product, lot, choice("outcome", OutcomeFilter.class, outcome),
                choice("order", UnitOrder.class, order), page, size);
        return Paging.ok(result.items(), result.page(), result.size(), result.total(), uri);
    }

    @GET
    @Path("/{product}/{lot}/failures")
    @Operation(summary = "A lot's failure Pareto: each check its runs failed (operation, parameter, step) with how many runs, "
            + "units and channels, and INCOMPLETE runs as parameter 'incomplete'; the most frequent first")
    @APIResponse(responseCode = "200", description = "the failures, most frequent first")
    @APIResponse(responseCode = "404", description = "no event named this lot of this product",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown lot",
                    value = Problem.EXAMPLE_404)))
    public List<FailureCount> failures(@PathParam("product") @Size(max = 64) String product,
            @PathParam("lot") @Size(max = 64) String lot) {
        return lots.failures(product, lot);
    }

    /** The constant of {@code type} named {@code value} (any case), or a 400 naming the parameter and the choices. */
    static <E extends Enum<E>> E choice(String parameter, Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw new InvalidRequestException(parameter, parameter + " '" + value + "' is not one of "
                + java.util.Arrays.toString(type.getEnumConstants()));
    }
}
