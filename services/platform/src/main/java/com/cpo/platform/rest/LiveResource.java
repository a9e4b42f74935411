package com.cpo.platform.rest;

import java.time.Duration;

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
public class LiveResource {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final LiveHub hub;

    LiveResource(LiveHub hub) {
        this.hub = hub;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events: a snapshot of the dashboard's figures, then every change of yield, RTY, "
            + "coupling-loss statistics, verdicts, burn-in alarms and racks")
    public Multi<OutboundSseEvent> stream(@QueryParam("product") @Parameter(description = "product part number; absent = all") String product,
            @QueryParam("lot") @Parameter(description = "lot; absent = all") String lot, @Context Sse sse) {
        LiveFilter filter = LiveFilter.of(product, lot);
        // subscribed on a worker: the subscription waits for the hub's lock (held by the feed while it pushes a
        // change to every dashboard) and builds the snapshot, neither of which may block the event loop
        Multi<OutboundSseEvent> events = hub.subscribe(filter).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).map(e -> sse.newEventBuilder().name(e.type()).id(Long.toString(e.id()))
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(e.data()).reconnectDelay(1_000).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(HEARTBEAT)
                .map(t -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().streams(events, heartbeats);
    }

    @GET
    @Path("/snapshot")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The figures a dashboard starts from (the stream's first event), as plain JSON")
    public LiveHub.Snapshot snapshot(@QueryParam("product") String product, @QueryParam("lot") String lot) {
        return hub.snapshot(LiveFilter.of(product, lot));
    }
}
