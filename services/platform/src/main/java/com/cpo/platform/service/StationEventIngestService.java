package com.cpo.platform.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

import com.cpo.events.AlignmentResult;
import com.cpo.events.BurnInReading;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.platform.persistence.MeasurementRepository.Reading;
import com.cpo.platform.persistence.MeasurementRepository.StartedRun;
import com.cpo.platform.persistence.MeasurementRepository;
import com.cpo.platform.persistence.PartitionMaintenance;
import com.cpo.platform.persistence.ReportRepository;
import com.cpo.platform.persistence.VerdictRepository;

/**
 * Stores station events as runs, per-channel alignment values, burn-in readings and their per-channel summaries. Storing the same
 * event twice changes nothing (see {@link MeasurementRepository}).
 */
@ApplicationScoped
public class StationEventIngestService {

    private static final Logger LOG = Logger.getLogger(StationEventIngestService.class);

    private final MeasurementRepository measurements;
    private final VerdictRepository units;
    private final PartitionMaintenance partitions;

    StationEventIngestService(MeasurementRepository measurements, VerdictRepository units, PartitionMaintenance partitions) {
        this.measurements = measurements;
        this.units = units;
        this.partitions = partitions;
    }

    /** Stores one station event in one transaction; unknown event types are ignored. */
    @Transactional
    public void store(SpecificRecord event) {
        // a new month's partition first, before this transaction locks anything its creation could wait for
        if (event instanceof RunStarted e) {
            partitions.ensure(PartitionMaintenance.RUNS, e.getEventTime());
        } else if (event instanceof AlignmentResult e) {
            partitions.ensure(PartitionMaintenance.ALIGNMENT_VALUES, e.getEventTime());
            if (e.getScan() != null) {
                partitions.ensure(PartitionMaintenance.ALIGNMENT_SCANS, e.getEventTime());
            }
        } else if (event instanceof BurnInReading e) {
            partitions.ensure(PartitionMaintenance.BURNIN_READINGS, e.getEventTime());
        }
        if (event instanceof RunStarted e) {
            long unitId = units.upsertUnit(e.getProduct(), e.getSerial(), e.getLot());
            units.recordGenealogy(unitId, e.getPicWafer(), e.getPicDie(), e.getFiberArraySerial());
            measurements.insertRun(unitId, new StartedRun(e.getEventId(), e.getRunId(), e.getOperation().name(),
                    e.getAttempt(), e.getStation(), e.getOperator(), e.getLimitSetId(), e.getChannelCount(),
                    e.getEventTime()));
        } else if (event instanceof AlignmentResult e) {
            boolean stored = false;
            for (ChannelAlignment c : e.getChannels()) {
                stored |= measurements.insertAlignmentValue(e.getEventId(), e.getRunId(), e.getSerial(), e.getStation(),
                        e.getStep().name(), c.getChannel(), c.getCouplingLossDb(), c.getPdlDb(), e.getEventTime());
            }
            if (e.getScan() != null) {
                storeScan(e);
            }
            if (stored) {
                measurements.runStart(e.getRunId()).filter(start -> Duration.between(start, e.getEventTime()).abs()
                        .compareTo(ReportRepository.MEASUREMENT_MARGIN) > 0).ifPresent(start -> LOG.warnf(
                        "AlignmentResult %s of run %s (unit %s, station %s) was measured at %s, more than %s from the run's start %s: "
                        + "its values are stored and in the unit's history, but statistics and raw data bounded by time will "
                        + "not find them. Check the station's clock.", e.getEventId(), e.getRunId(), e.getSerial(), e.getStation(),
                        e.getEventTime(), ReportRepository.MEASUREMENT_MARGIN, start));
            }
        } else if (event instanceof BurnInReading e) {
            Reading reading = new Reading(e.getRunId(), e.getSerial(), e.getStation(), e.getSlot(), e.getChannel(),
                    e.getEventTime(), e.getPowerDbm(), e.getBiasCurrentMa(), e.getCaseTemperatureC());
            if (measurements.markProcessed(e.getEventId(), "BurnInReading")) {
                measurements.addReading(reading);
            }
            measurements.insertReading(reading);
        } else if (event instanceof RunCompleted e) {
            if (!measurements.completeRun(e.getRunId(), e.getEventTime(), e.getAborted(), e.getMeasurementEvents())) {
                LOG.debugf("RunCompleted %s of run %s: run unknown or already completed", e.getEventId(), e.getRunId());
            }
        } else if (event != null) {
            LOG.debugf("station event of type %s ignored", event.getClass().getSimpleName());
        }
    }

    /** The step's scan, one row per channel. */
    private void storeScan(AlignmentResult e) {
        java.util.Map<Integer, java.util.List<com.cpo.events.ScanPoint>> byChannel = new java.util.TreeMap<>();
        for (com.cpo.events.ScanPoint p : e.getScan()) {
            byChannel.computeIfAbsent(p.getChannel(), k -> new java.util.ArrayList<>()).add(p);
        }
        byChannel.forEach((channel, points) -> measurements.insertScan(e.getSerial(), new MeasurementRepository.Scan(e.getRunId(),
                e.getStep().name(), channel, e.getEventTime(), points.stream().mapToDouble(com.cpo.events.ScanPoint::getXUm).toArray(),
                points.stream().mapToDouble(com.cpo.events.ScanPoint::getYUm).toArray(),
                points.stream().mapToDouble(com.cpo.events.ScanPoint::getPowerDbm).toArray())));
    }
}
