package com.cpo.platform.rest;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;

/**
 * Logging in with the plant's identity provider (OpenID Connect, when configured): this path needs the code flow
 * ({@code quarkus.http.auth.permission.oidc-login}), so a browser without a session goes to the provider and comes back
 * here logged in; then on to the page it came from.
 */
@Path("/login/oidc")
@Tag(name = "Accounts")
public class OidcLoginResource {

    @GET
    @Authenticated
    @Operation(summary = "Log in with the plant's identity provider, then go to `next` (a page of this service)")
    public Response login(@QueryParam("next") String next) {
        String page = next != null && next.matches("[A-Za-z0-9._-]+\\.html(\\?[^#]*)?") ? next : "dashboard.html";
        // a relative location is resolved against the service's root
        return Response.seeOther(URI.create(page)).build();
    }
}
