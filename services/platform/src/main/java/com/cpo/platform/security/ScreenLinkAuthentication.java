package com.cpo.platform.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * A line screen's link: {@code ?screen=TOKEN} on the live stream ({@code /api/live}) and on reading the burn-in alarms
 * and control charts ({@code GET /api/alarms}, {@code GET /api/spc/…}) and the DPAT outliers ({@code GET /api/dpat/outliers}) authenticates as the link, with the role {@code screen} only. Anywhere else the parameter is
 * ignored, so a link opens nothing but what the dashboard shows.
 * A request without it is left to the login session.
 */
public final class ScreenLinkAuthentication {

    /** The query parameter carrying a screen link's token. */
    public static final String PARAMETER = "screen";

    private ScreenLinkAuthentication() {
    }

    /** A token to check. */
    public static final class ScreenTokenRequest extends BaseAuthenticationRequest {
        private final String token;

        ScreenTokenRequest(String token) {
            this.token = token;
        }

        String token() {
            return token;
        }
    }

    @ApplicationScoped
    public static class Mechanism implements HttpAuthenticationMechanism {

        @Override
        public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
            String token = context.request().getParam(PARAMETER);
            String path = context.normalizedPath();
            boolean readsAlarms = (path.startsWith("/api/alarms") || path.startsWith("/api/spc/") || path.equals("/api/dpat/outliers"))
                    && "GET".equals(context.request().method().name());
            if (token == null || !(path.startsWith("/api/live") || readsAlarms)) {
                return Uni.createFrom().nullItem();
            }
            return identityProviderManager.authenticate(new ScreenTokenRequest(token));
        }

        @Override
        public Uni<ChallengeData> getChallenge(RoutingContext context) {
            return Uni.createFrom().nullItem(); // the login's challenge (401) stands
        }

        @Override
        public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
            return Set.of(ScreenTokenRequest.class);
        }

        @Override
        public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
            return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, PARAMETER, "screen"));
        }
    }

    @ApplicationScoped
    public static class Provider implements IdentityProvider<ScreenTokenRequest> {

        private final ScreenLinks links;

        Provider(ScreenLinks links) {
            this.links = links;
        }

        @Override
        public Class<ScreenTokenRequest> getRequestType() {
            return ScreenTokenRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(ScreenTokenRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> links.valid(request.token())
                    .map(name -> (SecurityIdentity) QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name))
                            .addRole(Roles.SCREEN).build())
                    .orElseThrow(() -> new io.quarkus.security.AuthenticationFailedException("unknown or revoked screen link")));
        }
    }
}
