package com.cpo.platform.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.domain.Rty;
import com.cpo.domain.YieldFigures;
import com.cpo.domain.stats.Percentiles;
import com.cpo.platform.report.YieldReport.StatsRow;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.ReportFilter;
import com.cpo.platform.service.YieldService;

/** Yield and coupling-loss statistics with filters. Ratios are fractions 0..1; null where undefined. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Yield")
@RolesAllowed(Roles.VIEWER)
public class StatisticsResource {

    /** Yield figures of a set of units. */
    public record FiguresView(String key, int units, int firstPassUnits, Double fpy, int finalPassUnits,
            Double finalYield, int runs, int passedRuns, Double testYield, Double retestRate) {

        static FiguresView of(String key, YieldFigures f) {
            return new FiguresView(key, f.units(), f.firstPassUnits(), orNull(f.firstPassYield()), f.finalPassUnits(),
                    orNull(f.finalYield()), f.runs(), f.passedRuns(), orNull(f.testYield()), orNull(f.retestRate()));
        }
    }

    /**
     * Yield of the filtered units.
     *
     * @param operations yield of each operation (the key is the operation)
     * @param rty product of the FPYs of the operations that have units
     * @param rtyOperations the operations in the RTY
     * @param rtyLeftOut operations without units in the filter, left out of the RTY
     * @param groups yield of {@code operation} per group
     */
    public record YieldView(String operation, String filters, List<FiguresView> operations, Double rty, List<String> rtyOperations,
            List<String> rtyLeftOut, String rtyDefinition, String groupBy, List<FiguresView> groups) {
    }

    /** Coupling-loss statistics of one product, step and channel, in dB; capability from the overall σ (Ppk). */
    public record CouplingLossView(String product, String step, int channel, long n, Double meanDb, Double sigmaDb,
            Double minDb, Double maxDb, Double p1Db, Double p50Db, Double p90Db, Double p99Db, Double lowerLimitDb,
            Double upperLimitDb, Double cpk, boolean cpkBelow133, String percentiles) {

        static CouplingLossView of(StatsRow s) {
            return new CouplingLossView(s.product(), s.step(), s.channel(), s.n(), orNull(s.meanDb()), orNull(s.sigmaDb()),
                    orNull(s.minDb()), orNull(s.maxDb()), orNull(s.p1Db()), orNull(s.p50Db()), orNull(s.p90Db()),
                    orNull(s.p99Db()), s.lowerLimit(), s.upperLimit(), orNull(s.cpk()), s.flagged(), Percentiles.DEFINITION);
        }
    }

    private final YieldService yields;

    StatisticsResource(YieldService yields) {
        this.yields = yields;
    }

    @GET
    @Path("/yield")
    @Operation(summary = "FPY, final yield, test yield, retest rate per operation, RTY, and the operation's yield per group")
    public YieldView yield(@Valid @BeanParam FilterParams filters,
            @QueryParam("groupBy") @DefaultValue("lot") @Parameter(description = "lot; station (each station's own runs); "
                    + "first-station (units by the station of their first run); shift, hour, day, week or month (of the unit's first run, "
                    + "in the plant's zone: hour = its start as an ISO-8601 UTC instant, week = ISO week such as 2026-W48, month = 2026-11); "
                    + "product")
            String groupBy) {
        ReportFilter filter = filters.toFilter(yields);
        YieldService.GroupBy by;
        try {
            by = YieldService.GroupBy.valueOf(groupBy.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("groupBy", "Unknown groupBy '" + groupBy
                    + "': expected lot, station, first-station, shift, hour, day, week, month or product.");
        }
        YieldService.Figures figures = yields.figures(filter, by);
        List<FiguresView> operations = new ArrayList<>();
        figures.operations().forEach((op, f) -> operations.add(FiguresView.of(op, f)));
        List<FiguresView> groups = new ArrayList<>();
        for (Map.Entry<String, YieldFigures> group : figures.groups().entrySet()) {
            groups.add(FiguresView.of(group.getKey(), group.getValue()));
        }
        return new YieldView(filter.operation(), filter.describe(), operations, orNull(figures.rty().value()), figures.rty().included(),
                figures.rty().excluded(), Rty.definition(), by.name().toLowerCase(Locale.ROOT).replace('_', '-'), groups);
    }

    @GET
    @Path("/coupling-loss")
    @Operation(summary = "Coupling-loss statistics per product, step and channel of ALIGN runs started in the range: "
            + "n, mean, σ, min, max, p1/p50/p90/p99, Cpk (from the overall σ, i.e. Ppk) against the released limit")
    public List<CouplingLossView> couplingLoss(@Valid @BeanParam FilterParams filters,
            @QueryParam("step") @Parameter(description = "PRE_CURE, POST_UV or POST_THERMAL; absent = every step") String step) {
        return yields.couplingLoss(filters.toFilter(yields), step == null || step.isBlank() ? null : step.strip().toUpperCase(Locale.ROOT))
                .stream().map(CouplingLossView::of).toList();
    }

    static Double orNull(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }
}
