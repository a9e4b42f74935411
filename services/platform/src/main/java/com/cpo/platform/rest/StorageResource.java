package com.cpo.platform.rest;

import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.cpo.platform.PlatformConfig;
import com.cpo.platform.persistence.PartitionMaintenance.Partition;
import com.cpo.platform.persistence.PartitionMaintenance.Stored;
import com.cpo.platform.persistence.PartitionMaintenance;
import com.cpo.platform.security.Roles;
import com.cpo.platform.service.Retention;

/** What the database holds: each table's size, the month partitions of the growing ones, and what retention last did. */
@Path("/api/storage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
@RolesAllowed(Roles.VIEWER)
public class StorageResource {

    /** A table, with its month partitions where it has them; rows are PostgreSQL's estimate, bytes include indexes. */
    public record TableView(String table, long rowsEstimate, long bytes, String retention, List<Stored> partitions) {
    }

    /** The last retention pass: partitions dropped (by name) and rows deleted. */
    public record RetentionView(String at, List<String> dropped, long burnInSummariesDeleted, long processedEventsDeleted) {
    }

    public record StorageView(List<TableView> tables, RetentionView lastRetention) {
    }

    private final PartitionMaintenance partitions;
    private final Retention retention;
    private final PlatformConfig.Retention config;

    StorageResource(PartitionMaintenance partitions, Retention retention, PlatformConfig config) {
        this.partitions = partitions;
        this.retention = retention;
        this.config = config.retention();
    }

    @GET
    @Operation(summary = "Each data table's estimated rows and bytes on disk (with indexes), the month partitions of runs and "
            + "alignment values, the retention settings (cpo.platform.retention.*) and what the last retention pass removed")
    public StorageView storage() {
        List<TableView> tables = new ArrayList<>();
        for (Map.Entry<String, List<Stored>> t : partitions.storage().entrySet()) {
            boolean partitioned = PartitionMaintenance.TABLES.contains(t.getKey());
            tables.add(new TableView(t.getKey(), t.getValue().stream().mapToLong(Stored::rowsEstimate).sum(),
                    t.getValue().stream().mapToLong(Stored::bytes).sum(), retentionOf(t.getKey()), partitioned ? t.getValue() : List.of()));
        }
        Retention.Removed last = retention.last();
        RetentionView lastView = last == null ? null : new RetentionView(last.at().toString(),
                java.util.stream.Stream.concat(last.runs().stream(), last.alignmentValues().stream()).map(Partition::name).toList(),
                last.burnInSummaries(), last.processedEvents());
        return new StorageView(tables, lastView);
    }

    private String retentionOf(String table) {
        Period p = switch (table) {
            case PartitionMaintenance.RUNS -> config.runs();
            case PartitionMaintenance.ALIGNMENT_VALUES -> config.alignmentValues();
            case "burnin_channel_summaries" -> config.burninSummaries();
            case "processed_events" -> config.processedEvents();
            default -> null;
        };
        return p == null ? "kept" : p.isZero() ? "kept (P0D)" : p.toString();
    }
}
