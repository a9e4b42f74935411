package com.cpo.service.rest;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.cpo.service.service.InvalidRequestException;
import com.cpo.service.service.UnitNotFoundException;

/** Turns every exception a request can end with into a problem+json response. */
public class ProblemMappers {

    static final String UNIT_NOT_FOUND = "urn:cpo:problem:unit-not-found";
    static final String INVALID_REQUEST = "urn:cpo:problem:invalid-request";
    static final String INTERNAL_ERROR = "urn:cpo:problem:internal-error";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response unitNotFound(UnitNotFoundException e, UriInfo uri) {
        return problem(UNIT_NOT_FOUND, "Unit not found", Response.Status.NOT_FOUND.getStatusCode(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, UriInfo uri) {
        return problem(INVALID_REQUEST, "Invalid request", Response.Status.BAD_REQUEST.getStatusCode(), e.getMessage(), uri);
    }

    /** Bean Validation of parameters; more specific than Quarkus' own mapper for {@code ValidationException}, so it wins. */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        String detail = e.getConstraintViolations().stream()
                .map(ProblemMappers::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return problem(INVALID_REQUEST, "Invalid request", Response.Status.BAD_REQUEST.getStatusCode(), detail, uri);
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
        return problem("about:blank", title, status, e.getMessage(), uri);
    }

    /** Anything else is a fault of ours: logged in full, answered without internals. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "request %s failed", uri.getPath());
        return problem(INTERNAL_ERROR, "Internal error", Response.Status.INTERNAL_SERVER_ERROR.getStatusCode(),
                "The request could not be completed; the service log has the cause.", uri);
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // The path starts with the Java method name (unit.serial); the parameter name is what the caller knows.
        String parameter = path.substring(path.lastIndexOf('.') + 1);
        return parameter + " " + violation.getMessage();
    }

    private static Response problem(String type, String title, int status, String detail, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, uri.getPath()))
                .build();
    }
}
