package com.cpo.platform.rest;

import java.net.URI;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Accounts;
import com.cpo.platform.security.Roles;
import com.cpo.platform.security.ScreenLinks;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is asking ({@code /api/me}), logging out, and what an administrator does with accounts and line screens' links.
 * Logging in is the form post {@code POST /j_security_check} ({@code j_username}, {@code j_password}) of {@code /login.html}.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class AccountResource {

    /** The caller: name and roles. */
    public record Me(String user, Set<String> roles) {
    }

    public record NewUser(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 200) String roles) {
    }

    public record RolesBody(@NotBlank @Size(max = 200) String roles) {
    }

    public record PasswordChange(@NotBlank @Size(max = 200) String currentPassword, @NotBlank @Size(max = 200) String newPassword) {
    }

    public record NewScreen(@NotBlank @Size(max = 128) String name) {
    }

    private final SecurityIdentity identity;
    private final Accounts accounts;
    private final ScreenLinks screens;
    private final boolean oidcEnabled;

    AccountResource(SecurityIdentity identity, Accounts accounts, ScreenLinks screens,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidcEnabled) {
        this.identity = identity;
        this.accounts = accounts;
        this.screens = screens;
        this.oidcEnabled = oidcEnabled;
    }

    private String me() {
        return identity.getPrincipal().getName();
    }

    @GET
    @Path("/me")
    @Authenticated
    @Operation(summary = "The caller: user name and roles (401 without a session)")
    public Me who() {
        return new Me(me(), identity.getRoles());
    }

    @POST
    @Path("/me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Change one's own password (at least 12 characters)")
    public Response changePassword(@Valid @NotNull PasswordChange body) {
        accounts.changeOwnPassword(me(), body.currentPassword(), body.newPassword());
        return Response.noContent().build();
    }

    @POST
    @Path("/logout")
    @PermitAll
    @Operation(summary = "End the session: the session cookies (a login's, an OpenID Connect login's) are cleared")
    public Response logout() {
        return Response.noContent()
                .cookie(new NewCookie.Builder("quarkus-credential").value("").path("/").maxAge(0).httpOnly(true).build(),
                        new NewCookie.Builder("q_session").value("").path("/").maxAge(0).httpOnly(true).build())
                .build();
    }

    /** How people log in here: the form always; the plant's identity provider when configured. */
    public record LoginOptions(boolean form, boolean openIdConnect, String openIdConnectPath) {
    }

    @GET
    @Path("/login-options")
    @PermitAll
    @Operation(summary = "How to log in: the form (/j_security_check), and /login/oidc when the plant's identity provider is configured")
    public LoginOptions loginOptions() {
        return new LoginOptions(true, oidcEnabled, "login/oidc");
    }

    @GET
    @Path("/users")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Every account with its roles")
    public List<Accounts.Account> users() {
        return accounts.list();
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "A new account with a generated password, shown once in the answer (201)")
    public Response createUser(@Valid @NotNull NewUser body) {
        Accounts.Issued issued = accounts.create(body.username(), body.roles(), me());
        return Response.created(URI.create("/api/users/" + issued.account().username())).entity(issued).build();
    }

    @PUT
    @Path("/users/{username}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set an account's roles (comma-separated: viewer, engineer, quality, admin); enables a disabled account")
    public Accounts.Account setRoles(@PathParam("username") String username, @Valid @NotNull RolesBody body) {
        return accounts.setRoles(username, body.roles(), me());
    }

    @POST
    @Path("/users/{username}/password")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Reset an account's password: a new one is generated and shown once")
    public Accounts.Issued resetPassword(@PathParam("username") String username) {
        return accounts.resetPassword(username, me());
    }

    @DELETE
    @Path("/users/{username}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Disable an account: no login, no roles; its name stays in the audit")
    public Accounts.Account disable(@PathParam("username") String username) {
        return accounts.disable(username, me());
    }

    @GET
    @Path("/screens")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Line screens' links (without their tokens)")
    public List<ScreenLinks.Link> screens() {
        return screens.list();
    }

    @POST
    @Path("/screens")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Issue a read-only dashboard link for a line screen; its token (in `url`) is shown once (201)")
    public Response issueScreen(@Valid @NotNull NewScreen body) {
        ScreenLinks.Link link = screens.issue(body.name(), me());
        return Response.created(URI.create("/api/screens/" + link.id()))
                .entity(new ScreenIssued(link, "dashboard.html?screen=" + link.token())).build();
    }

    /** An issued link, with the page address to open on the screen (relative to the service's root). */
    public record ScreenIssued(ScreenLinks.Link link, String url) {
    }

    @DELETE
    @Path("/screens/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke a screen link: refused from the next request; an open stream ends within 30 s")
    public ScreenLinks.Link revokeScreen(@PathParam("id") long id) {
        return screens.revoke(id, me());
    }
}
