package com.cpo.platform.rest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.live.LiveFilter;
import com.cpo.platform.live.LiveHub;
import com.cpo.platform.security.Roles;
import com.cpo.platform.security.ScreenLinkAuthentication;
import com.cpo.platform.security.ScreenLinks;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The dashboard's live stream and its current figures. The stream starts with a {@code snapshot} event (the
 * figures now) on every connect — so a browser that reconnects after a restart of the service, which its
 * EventSource does by itself, is complete again at once — then one event per change: {@code yield},
 * {@code rty}, {@code statistics}, {@code verdict}, {@code alarm}, {@code burnin}. A comment line every
 * 15 s keeps proxies from closing an idle stream and finds browsers that are gone.
 */
@Path("/api/live")
@Tag(name = "Dashboard")
@RolesAllowed({Roles.VIEWER, Roles.SCREEN})
public class LiveResource {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final LiveHub hub;
    private final SecurityIdentity identity;
    private final ScreenLinks screens;

    LiveResource(LiveHub hub, SecurityIdentity identity, ScreenLinks screens) {
        this.hub = hub;
        this.identity = identity;
        this.screens = screens;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events: a snapshot of the dashboard's figures, then every change of yield, RTY, "
            + "coupling-loss statistics, verdicts, burn-in alarms and racks")
    public Multi<OutboundSseEvent> stream(@QueryParam("product") @Parameter(description = "product part number; absent = all") String product,
            @QueryParam("lot") @Parameter(description = "lot; absent = all") String lot,
            @QueryParam(ScreenLinkAuthentication.PARAMETER) @Parameter(description = "a line screen's link token, instead of a login") String screen,
            @Context Sse sse) {
        LiveFilter filter = LiveFilter.of(product, lot);
        // subscribed on a worker: the subscription waits for the hub's lock (held by the feed while it pushes a
        // change to every dashboard) and builds the snapshot, neither of which may block the event loop
        Multi<OutboundSseEvent> events = hub.subscribe(filter).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).map(e -> sse.newEventBuilder().name(e.type()).id(Long.toString(e.id()))
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(e.data()).reconnectDelay(1_000).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(HEARTBEAT)
                .map(t -> sse.newEventBuilder().comment("heartbeat").build());
        if (!identity.hasRole(Roles.SCREEN) || identity.hasRole(Roles.VIEWER)) {
            return Multi.createBy().merging().streams(events, heartbeats);
        }
        // a screen's link may be revoked while its stream is open: checked every RECHECK_SECONDS, the stream ends after
        AtomicBoolean standing = new AtomicBoolean(true);
        Multi<OutboundSseEvent> checks = Multi.createFrom().ticks().every(Duration.ofSeconds(ScreenLinks.RECHECK_SECONDS))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(t -> {
                    standing.set(screens.valid(screen).isPresent());
                    return sse.newEventBuilder().comment("screen link checked").build();
                });
        return Multi.createBy().merging().streams(events, heartbeats, checks).select().first(e -> standing.get());
    }

    @GET
    @Path("/snapshot")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The figures a dashboard starts from (the stream's first event), as plain JSON")
    public LiveHub.Snapshot snapshot(@QueryParam("product") String product, @QueryParam("lot") String lot) {
        return hub.snapshot(LiveFilter.of(product, lot));
    }
}
