package com.cpo.platform.rest;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error responses every operation can give, as the service's exception mappers ({@link ProblemMappers})
 * give them: RFC 9457 problem+json with an example. An operation's own documented responses (a 404 for an unknown serial,
 * say) are kept; these are added where it has none of that status: 400 where it takes parameters or a body (a value that
 * fails its constraints), 401 (no session), 403 (a role it lacks), 500 (the service failed; the log has the cause).
 */
public class ProblemResponsesFilter implements OASFilter {

    /** Operations anyone may call (no login): no 401 or 403 for them. */
    public static final java.util.Set<String> PUBLIC = java.util.Set.of("/api/plant", "/api/login-options");

    private static final Map<String, String[]> COMMON = Map.of(
            "400", new String[] {"a parameter or field fails its constraints; each named in errors", """
                    {"type":"urn:cpo:problem:invalid-request","title":"Invalid request","status":400,
                     "detail":"size must be less than or equal to 1000","instance":"/api/lots","parameter":"size",
                     "errors":[{"parameter":"size","message":"size must be less than or equal to 1000"}]}"""},
            "401", new String[] {"no session, or an expired one: log in at login.html (or POST /j_security_check)", """
                    {"type":"urn:cpo:problem:unauthenticated","title":"Not logged in","status":401,
                     "detail":"Log in first (POST /j_security_check with j_username and j_password, or the page /login.html).",
                     "instance":"/api/units/OE16-AA-01-000001"}"""},
            "403", new String[] {"the caller lacks the role the operation needs (viewer, engineer, quality or admin)", """
                    {"type":"urn:cpo:problem:forbidden","title":"Role missing","status":403,
                     "detail":"Your account does not have the role this request needs (viewer: figures and reports; engineer: limit drafts, imports, replays; quality: releases; admin: users and screens).",
                     "instance":"/api/limit-sets/CPO-OE16/ALIGN/drafts"}"""},
            "500", new String[] {"the service failed; its log has the cause under the problem's instance and time", """
                    {"type":"urn:cpo:problem:internal-error","title":"Internal error","status":500,
                     "detail":"The request could not be completed; the service log has the cause.","instance":"/api/yield"}"""});

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        if (openAPI.getComponents().getSchemas() == null || !openAPI.getComponents().getSchemas().containsKey("Problem")) {
            org.eclipse.microprofile.openapi.models.media.Schema text = OASFactory.createSchema().addType(
                    org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING);
            openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                    .addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.OBJECT)
                    .description("RFC 9457 problem details: what went wrong, for the caller")
                    .addProperty("type", text).addProperty("title", text)
                    .addProperty("status", OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.INTEGER))
                    .addProperty("detail", text).addProperty("instance", text)
                    .addProperty("parameter", OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING)
                            .description("the request parameter or field at fault"))
                    .addProperty("errors", OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.ARRAY)
                            .description("every error, each with its parameter, or its sheet row and column, and message")
                            .items(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.OBJECT))));
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                boolean takesInput = operation.getRequestBody() != null || (operation.getParameters() != null && !operation.getParameters().isEmpty())
                        || (path.getValue().getParameters() != null && !path.getValue().getParameters().isEmpty());
                if (operation.getResponses() == null) {
                    operation.setResponses(OASFactory.createAPIResponses());
                }
                APIResponses responses = operation.getResponses();
                for (Map.Entry<String, String[]> common : new java.util.TreeMap<>(COMMON).entrySet()) {
                    String code = common.getKey();
                    if (PUBLIC.contains(path.getKey()) && (code.equals("401") || code.equals("403"))) {
                        responses.removeAPIResponse(code); // Quarkus adds them to every operation of a secured class
                        continue;
                    }
                    if (code.equals("400") && !takesInput) {
                        continue;
                    }
                    // Quarkus's own 401 and 403 say only "Not Authorized" / "Not Allowed": replaced by what the service answers
                    if (!responses.hasAPIResponse(code) || responses.getAPIResponse(code).getContent() == null) {
                        responses.addAPIResponse(code, problem(common.getValue()[0], common.getValue()[1]));
                    }
                }
            }
        }
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse problem(String description, String example) {
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))
                        .addExample("example", OASFactory.createExample().value(example))));
    }
}
