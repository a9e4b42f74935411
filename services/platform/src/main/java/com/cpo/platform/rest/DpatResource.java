package com.cpo.platform.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.DpatService;
import com.cpo.platform.service.InvalidRequestException;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * DPAT (dynamic part average testing): each product's settings, a lot's screened runs, and the outliers of a period.
 */
@Path("/api/dpat")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "DPAT")
@RolesAllowed(Roles.VIEWER)
public class DpatResource {

    /** A product's settings. */
    public record SettingsBody(@NotNull Boolean enabled,
            @NotNull @Parameter(description = "robust σ either side of the median (0 < k ≤ 50; AEC-Q001 uses 6)") Double k,
            @NotNull @Parameter(description = "fewest values that give limits (≥ 5)") Integer minPopulation,
            @NotBlank @Parameter(description = "LOT: the lot's passing units; WINDOW: the station's last `window` passing runs") String basis,
            @Parameter(description = "the window's size in runs (WINDOW only; ≥ minPopulation)") Integer window) {
    }

    private final DpatService dpat;
    private final SecurityIdentity identity;

    DpatResource(DpatService dpat, SecurityIdentity identity) {
        this.dpat = dpat;
        this.identity = identity;
    }

    @GET
    @Path("/settings")
    @Operation(summary = "Every product with its own DPAT settings (others use the defaults: on, per lot, k = 6, at least 30 units)")
    public List<DpatService.SettingsView> allSettings() {
        return dpat.allSettings();
    }

    @GET
    @Path("/settings/{product}")
    @Operation(summary = "A product's DPAT settings (defaults = true: it has none of its own)")
    public DpatService.SettingsView settings(@PathParam("product") @Size(max = 64) String product) {
        return dpat.settingsView(product);
    }

    @PUT
    @Path("/settings/{product}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.QUALITY)
    @Operation(summary = "Set a product's DPAT settings: on or off, k, minimum population, basis (LOT or WINDOW) and window")
    @APIResponse(responseCode = "400", description = "a setting out of its range, named in parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "k", value = """
                    {"type":"urn:cpo:problem:invalid-request","title":"Invalid request","status":400,"parameter":"k",
                     "detail":"k must be a number above 0 and at most 50 (robust σ either side of the median), not 0.0.",
                     "instance":"/api/dpat/settings/CPO-OE16"}""")))
    public DpatService.SettingsView save(@PathParam("product") @Size(max = 64) String product, @Valid @NotNull SettingsBody body) {
        return dpat.save(product, body.enabled(), body.k(), body.minPopulation(), body.basis(), body.window() == null ? 0 : body.window(),
                identity.getPrincipal().getName());
    }

    @GET
    @Path("/lots/{product}/{lot}")
    @Operation(summary = "A lot's passing ALIGN runs screened: per channel the final coupling loss, the robust limits that applied "
            + "(median ± k × IQR/1.35 of the lot, or of the station's last runs) and whether it is outside")
    public List<DpatService.RunScreen> lot(@PathParam("product") @Size(max = 64) String product, @PathParam("lot") @Size(max = 64) String lot) {
        return dpat.lot(product, lot);
    }

    @GET
    @Path("/outliers")
    @RolesAllowed({Roles.VIEWER, Roles.SCREEN})
    @Operation(summary = "DPAT outliers among passing ALIGN runs started in [from, to) (default: the last 24 h; at most 92 days), of a product or all")
    @APIResponse(responseCode = "400", description = "a time that is not an ISO-8601 instant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "from", value = """
                    {"type":"urn:cpo:problem:invalid-request","title":"Invalid request","status":400,"parameter":"from",
                     "detail":"'yesterday' is not an ISO-8601 instant such as 2026-11-29T06:00:00Z",
                     "instance":"/api/dpat/outliers"}""")))
    public List<DpatService.RunScreen> outliers(@QueryParam("product") @Size(max = 64) String product, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Instant end = instant("to", to, Instant.now());
        Instant start = instant("from", from, end.minus(java.time.Duration.ofHours(24)));
        if (!end.isAfter(start)) {
            throw new InvalidRequestException("to", "'to' (" + end + ") must be after 'from' (" + start + ").");
        }
        return dpat.outliers(product == null || product.isBlank() ? null : product.strip(), start, end);
    }

    private static Instant instant(String name, String value, Instant otherwise) {
        Instant parsed = RequestInstants.parse(name, value);
        return parsed == null ? otherwise : parsed;
    }
}
