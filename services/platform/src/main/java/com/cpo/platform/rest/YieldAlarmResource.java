package com.cpo.platform.rest;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.YieldAlarms;

import io.quarkus.security.identity.SecurityIdentity;

/** Each product's FPY targets, and the yield alarms of lots and first stations held to them. */
@Path("/api")
@Tag(name = "Alarms")
@RolesAllowed({Roles.VIEWER, Roles.SCREEN})
@Produces(MediaType.APPLICATION_JSON)
public class YieldAlarmResource {

    /** A target: the lowest acceptable FPY (0..1) once a group has at least {@code minUnits} units, and why. */
    public record TargetBody(@NotNull Double fpyTarget, @NotNull @Min(1) @Max(1_000_000) Integer minUnits, @NotBlank @Size(max = 1000) String reason) {
    }

    private final YieldAlarms alarms;
    private final SecurityIdentity identity;

    YieldAlarmResource(YieldAlarms alarms, SecurityIdentity identity) {
        this.alarms = alarms;
        this.identity = identity;
    }

    @GET
    @Path("/yield-targets")
    @Operation(summary = "Every product's FPY target per operation, with who set it and why")
    public List<YieldAlarms.TargetView> targets() throws SQLException {
        return alarms.targets();
    }

    @PUT
    @Path("/yield-targets/{product}/{operation}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Set a product's FPY target for an operation (fpyTarget in (0, 1], minUnits ≥ 1); 400 naming the field otherwise")
    public YieldAlarms.TargetView setTarget(@PathParam("product") @Size(max = 64) String product, @PathParam("operation") String operation,
            @Valid @NotNull TargetBody body) throws SQLException {
        return alarms.setTarget(product, operation, body.fpyTarget(), body.minUnits(), body.reason().strip(), identity.getPrincipal().getName());
    }

    @GET
    @Path("/yield-alarms")
    @Operation(summary = "Yield alarms, latest raised first, of a state (OPEN, CLEARED) and product when given; at most `limit`")
    public List<YieldAlarms.AlarmView> list(@QueryParam("state") String state, @QueryParam("product") @Size(max = 64) String product,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) throws SQLException {
        String s = state == null || state.isBlank() ? null : state.strip().toUpperCase(Locale.ROOT);
        if (s != null && !List.of("OPEN", "CLEARED").contains(s)) {
            throw new InvalidRequestException("state", "'" + state + "' is not a state: OPEN or CLEARED");
        }
        return alarms.list(s, product == null || product.isBlank() ? null : product, limit);
    }
}
