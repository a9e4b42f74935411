package com.cpo.platform.rest;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.cpo.platform.service.ConflictException;
import com.cpo.platform.service.InputError;
import com.cpo.platform.service.InvalidInputException;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.NotFoundException;
import com.cpo.platform.service.UnitNotFoundException;

/** Turns every exception a request can end with into a problem+json response. */
public class ProblemMappers {

    static final String UNIT_NOT_FOUND = "urn:cpo:problem:unit-not-found";
    static final String NOT_FOUND = "urn:cpo:problem:not-found";
    static final String INVALID_REQUEST = "urn:cpo:problem:invalid-request";
    static final String INVALID_INPUT = "urn:cpo:problem:invalid-input";
    static final String CONFLICT = "urn:cpo:problem:conflict";
    static final String INTERNAL_ERROR = "urn:cpo:problem:internal-error";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response unitNotFound(UnitNotFoundException e, UriInfo uri) {
        return problem(UNIT_NOT_FOUND, "Unit not found", 404, e.getMessage(), uri, "serial", null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(NOT_FOUND, "Not found", 404, e.getMessage(), uri, null, null);
    }

    /** No session (or an expired one): log in at /login.html. */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class, io.quarkus.security.AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return problem("urn:cpo:problem:unauthenticated", "Not logged in", 401,
                "Log in first (POST /j_security_check with j_username and j_password, or the page /login.html).", uri, null, null);
    }

    /** Logged in, without the role the request needs. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return problem("urn:cpo:problem:forbidden", "Role missing", 403,
                "Your account does not have the role this request needs (viewer: figures and reports; engineer: limit drafts, "
                        + "imports, replays; quality: releases; admin: users and screens).", uri, null, null);
    }

    @ServerExceptionMapper
    public Response tooLarge(com.cpo.platform.service.PayloadTooLargeException e, UriInfo uri) {
        return problem("urn:cpo:problem:too-large", "Request too large", 413, e.getMessage(), uri, null, null);
    }

    @ServerExceptionMapper
    public Response tooMany(com.cpo.platform.service.TooManyRequestsException e, UriInfo uri) {
        return Response.fromResponse(problem("urn:cpo:problem:too-many-requests", "Too many requests", 429, e.getMessage(), uri, null, null))
                .header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response notPermitted(com.cpo.platform.service.NotPermittedException e, UriInfo uri) {
        return problem("urn:cpo:problem:not-permitted", "Not permitted", 403, e.getMessage(), uri, null, null);
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, UriInfo uri) {
        return problem(INVALID_REQUEST, "Invalid request", 400, e.getMessage(), uri, e.parameter(),
                e.parameter() == null ? null : List.of(InputError.ofParameter(e.parameter(), e.getMessage())));
    }

    /** Well-formed input refused as a whole (an imported sheet, a set of limits): every error listed. */
    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        List<InputError> errors = e.errors();
        String parameter = errors.stream().map(InputError::parameter).filter(p -> p != null).findFirst().orElse(null);
        return problem(INVALID_INPUT, "Input not accepted", 422, e.getMessage(), uri, parameter, errors);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        return problem(CONFLICT, "Conflict", 409, e.getMessage(), uri, null, null);
    }

    /** Bean Validation of parameters; more specific than Quarkus' own mapper for {@code ValidationException}, so it wins. */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<InputError> errors = e.getConstraintViolations().stream()
                .map(v -> InputError.ofParameter(parameter(v), parameter(v) + " " + v.getMessage()))
                .sorted(Comparator.comparing(InputError::message))
                .toList();
        String detail = errors.stream().map(InputError::message).collect(Collectors.joining("; "));
        return problem(INVALID_REQUEST, "Invalid request", 400, detail, uri, errors.get(0).parameter(), errors);
    }

    /** A JSON body that does not parse or does not fit the expected shape; names the field when Jackson knows it. */
    @ServerExceptionMapper
    public Response unreadableJson(com.fasterxml.jackson.core.JsonProcessingException e, UriInfo uri) {
        String field = null;
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            field = path.toString();
        }
        String detail = field == null ? "The request body is not valid JSON: " + e.getOriginalMessage()
                : "Field '" + field + "' cannot be read: " + e.getOriginalMessage();
        return problem(INVALID_REQUEST, "Invalid request", 400, detail, uri, field,
                field == null ? null : List.of(InputError.ofParameter(field, detail)));
    }

    /** Unknown paths, wrong methods, unconvertible parameters, unacceptable media types: the status is the framework's. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        if (status >= 500) {
            LOG.errorf(e, "request %s failed", uri.getPath());
        }
        return problem("about:blank", title, status, e.getMessage(), uri, null, null);
    }

    /** Anything else is a fault of ours: logged in full, answered without internals. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "request %s failed", uri.getPath());
        return problem(INTERNAL_ERROR, "Internal error", 500,
                "The request could not be completed; the service log has the cause.", uri, null, null);
    }

    /**
     * The name the caller knows: a query or path parameter's name ({@code serial}), or the path inside a
     * request body ({@code limits[2].unitOfMeasure}) without the Java method and argument names.
     */
    static String parameter(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new java.util.ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        List<Path.Node> named = nodes.stream().filter(n -> n.getKind() != ElementKind.METHOD).toList();
        if (named.size() > 1 && named.get(0).getKind() == ElementKind.PARAMETER) {
            // A body argument: the argument's Java name means nothing to the caller, its properties do.
            named = named.subList(1, named.size());
        }
        StringBuilder name = new StringBuilder();
        for (Path.Node node : named) {
            if (node.getIndex() != null && name.length() > 0) {
                name.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                if (name.length() > 0) {
                    name.append('.');
                }
                name.append(node.getName());
            }
        }
        return name.length() == 0 ? violation.getPropertyPath().toString() : name.toString();
    }

    static Response problem(String type, String title, int status, String detail, UriInfo uri, String parameter,
            List<InputError> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, uri.getPath(), parameter, errors))
                .build();
    }
}
