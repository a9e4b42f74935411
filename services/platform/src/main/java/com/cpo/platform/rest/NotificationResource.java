package com.cpo.platform.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.security.Roles;
import com.cpo.platform.service.Notifications;

/** The notification outbox: what was delivered where, and what waits for a receiver that is down. */
@Path("/api/notifications")
@Tag(name = "Alarms")
@RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    private final Notifications notifications;

    NotificationResource(Notifications notifications) {
        this.notifications = notifications;
    }

    @GET
    @Operation(summary = "The latest notifications, newest first: channel, state (PENDING, SENT), attempts, the last error, when sent")
    public List<Notifications.NotificationView> latest(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) throws SQLException {
        return notifications.latest(limit);
    }
}
