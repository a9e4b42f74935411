package com.cpo.platform.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.report.LimitLine;
import com.cpo.platform.report.LimitSheet;
import com.cpo.platform.report.YieldWorkbook;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.LimitService;
import com.cpo.platform.service.LimitSetView;
import com.cpo.platform.service.Page;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Limits management. A limit set is product × operation ({@code limitSetId = product/operation}); each
 * version is drafted, possibly revised, then released: from then on immutable and published to the limits
 * topic. Every action records who, when and why.
 */
@Path("/api/limit-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Limits")
@RolesAllowed(Roles.VIEWER)
public class LimitSetResource {

    /** A limit as sent in JSON. */
    public record LimitBody(@NotBlank @Size(max = 64) String parameter,
            @PositiveOrZero @Parameter(description = "null = every channel") Integer channel,
            Double lowerLimit, Double upperLimit,
            @NotBlank @Size(max = 16) String unitOfMeasure,
            @Size(max = 1000) String description) {

        LimitLine line() {
            return new LimitLine(parameter.strip(), channel, lowerLimit, upperLimit, unitOfMeasure.strip(), description);
        }
    }

    /** A new draft, or a revision of one: why, and the complete limits. Who is the caller, as authenticated. */
    public record DraftBody(@NotBlank @Size(max = 1000) String reason,
            @NotEmpty @Size(max = 2000) List<@Valid @NotNull LimitBody> limits) {

        List<LimitLine> lines() {
            return limits.stream().map(LimitBody::line).toList();
        }
    }

    /**
     * A release. Who releases is the caller, as authenticated: never the author of the draft or of a revision of it.
     *
     * @param effectiveFrom ISO-8601 instant from which runs are judged by this version; absent = now
     * @param backdatingReason required when {@code effectiveFrom} is in the past (runs already judged will not be judged
     *        again; the audit shows it)
     */
    public record ReleaseBody(@NotBlank @Size(max = 1000) String reason, Instant effectiveFrom,
            @Size(max = 1000) String backdatingReason) {
    }

    private final LimitService limits;
    private final SecurityIdentity identity;

    LimitSetResource(LimitService limits, SecurityIdentity identity) {
        this.limits = limits;
        this.identity = identity;
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    @GET
    @Operation(summary = "Limit sets (without their limits), by id and version; paged, total in X-Total-Count")
    public Response list(@QueryParam("product") @Size(max = 64) String product,
            @QueryParam("operation") String operation,
            @QueryParam("status") @Parameter(description = "DRAFT or RELEASED") String status,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, UriInfo uri) {
        Page<LimitSetView> result = limits.page(product, operation, status, page, size);
        return Paging.ok(result.items(), result.page(), result.size(), result.total(), uri);
    }

    @POST
    @Path("/{product}/{operation}/drafts")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Draft the next version of a limit set; 409 while another draft exists, 422 listing every bad limit")
    public Response createDraft(@PathParam("product") @Size(max = 64) String product,
            @PathParam("operation") String operation, @Valid @NotNull DraftBody body, UriInfo uri) {
        LimitSetView draft = limits.createDraft(product, operation, caller(), body.reason().strip(), body.lines());
        return created(draft, uri);
    }

    @POST
    @Path("/{product}/{operation}/drafts")
    @Consumes(YieldWorkbook.CONTENT_TYPE)
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Draft the next version from an Excel sheet (Parameter, Channel (blank = all), Lower limit, "
            + "Upper limit, Unit, Description); a sheet with any error is refused whole, 422 listing every error by row and column; "
            + "413 for a body over cpo.platform.security.max-upload-bytes, 422 for a sheet that expands like a zip bomb")
    public Response importDraft(@PathParam("product") @Size(max = 64) String product,
            @PathParam("operation") String operation,
            @QueryParam("reason") @NotBlank @Size(max = 1000) String reason, InputStream sheet, UriInfo uri)
            throws IOException {
        LimitSetView draft = limits.importDraft(product, operation, caller(), reason.strip(), sheet);
        return created(draft, uri);
    }

    @GET
    @Path("/{product}/{operation}/versions/{version}")
    @Operation(summary = "One version with its limits and audit trail")
    public LimitSetView get(@PathParam("product") String product, @PathParam("operation") String operation,
            @PathParam("version") @Min(1) int version) {
        return limits.get(product, operation, version);
    }

    @GET
    @Path("/{product}/{operation}/in-force")
    @Operation(summary = "The released version in force at an instant (default now)")
    public LimitSetView inForce(@PathParam("product") String product, @PathParam("operation") String operation,
            @QueryParam("at") @Parameter(description = "ISO-8601 instant") String at) {
        Instant when;
        try {
            when = at == null || at.isBlank() ? Instant.now() : Instant.parse(at.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidRequestException("at", "'at' must be an ISO-8601 instant such as 2026-03-02T06:00:00Z, not '" + at + "'.");
        }
        return limits.inForce(product, operation, when);
    }

    @GET
    @Path("/{product}/{operation}/versions/{version}/compare")
    @Operation(summary = "A version (typically a draft) beside another, parameter by parameter and channel by channel: on each "
            + "channel the limit that binds it in each version, and whether the version is the same, TIGHTER, LOOSER, MIXED, ADDED "
            + "or REMOVED there; with = the version to compare with, absent = the one in force now (for a released version, the latest "
            + "released before it)")
    @APIResponse(responseCode = "404", description = "no such limit set version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown version", value = """
                    {"type":"urn:cpo:problem:not-found","title":"Not found","status":404,
                     "detail":"Limit set CPO-OE16/ALIGN has no version 9.","instance":"/api/limit-sets/CPO-OE16/ALIGN/versions/9/compare"}""")))
    public LimitService.Comparison compare(@PathParam("product") String product, @PathParam("operation") String operation,
            @PathParam("version") @Min(1) int version, @QueryParam("with") @Min(1) Integer with) {
        return limits.compare(product, operation, version, with);
    }

    @PUT
    @Path("/{product}/{operation}/versions/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Replace the limits of a draft; 409 for a released version")
    public LimitSetView revise(@PathParam("product") String product, @PathParam("operation") String operation,
            @PathParam("version") @Min(1) int version, @Valid @NotNull DraftBody body) {
        return limits.reviseDraft(product, operation, version, caller(), body.reason().strip(), body.lines());
    }

    @DELETE
    @Path("/{product}/{operation}/versions/{version}")
    @RolesAllowed(Roles.ENGINEER)
    @Operation(summary = "Discard a draft; 409 for a released version")
    public Response discard(@PathParam("product") String product, @PathParam("operation") String operation,
            @PathParam("version") @Min(1) int version) {
        limits.discardDraft(product, operation, version);
        return Response.noContent().build();
    }

    @POST
    @Path("/{product}/{operation}/versions/{version}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.QUALITY)
    @Operation(summary = "Release a draft: immutable from then on, published to the compacted limits topic; 403 for the "
            + "draft's own author (a second person releases), 400 for a back-dated effectiveFrom without backdatingReason")
    public LimitSetView release(@PathParam("product") String product, @PathParam("operation") String operation,
            @PathParam("version") @Min(1) int version, @Valid @NotNull ReleaseBody body) {
        return limits.release(product, operation, version, caller(), body.reason().strip(), body.effectiveFrom(),
                body.backdatingReason() == null || body.backdatingReason().isBlank() ? null : body.backdatingReason().strip());
    }

    @GET
    @Path("/{product}/{operation}/versions/{version}/limits.xlsx")
    @Produces(YieldWorkbook.CONTENT_TYPE)
    @Operation(summary = "The limits of a version as the Excel sheet that import accepts")
    public Response export(@PathParam("product") String product, @PathParam("operation") String operation,
            @PathParam("version") @Min(1) int version) throws IOException {
        List<LimitLine> lines = limits.limitsOf(product, operation, version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LimitSheet.write(lines, out);
        String fileName = ("limits-" + product + "-" + operation + "-v" + version + ".xlsx").replaceAll("[^A-Za-z0-9._-]", "_");
        return Response.ok(out.toByteArray(), YieldWorkbook.CONTENT_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    private static Response created(LimitSetView draft, UriInfo uri) {
        URI location = uri.getBaseUriBuilder().path("api/limit-sets/{product}/{operation}/versions/{version}")
                .build(draft.product(), draft.operation(), draft.version());
        return Response.created(location).entity(draft).type(MediaType.APPLICATION_JSON).build();
    }
}
