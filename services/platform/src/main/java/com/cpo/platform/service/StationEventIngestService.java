package com.cpo.platform.service;

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
import com.cpo.platform.persistence.VerdictRepository;

/**
 * Stores station events as runs, per-channel alignment values and burn-in summaries. Storing the same
 * event twice changes nothing (see {@link MeasurementRepository}).
 */
@ApplicationScoped
public class StationEventIngestService {

    private static final Logger LOG = Logger.getLogger(StationEventIngestService.class);

    private final MeasurementRepository measurements;
    private final VerdictRepository units;

    StationEventIngestService(MeasurementRepository measurements, VerdictRepository units) {
        this.measurements = measurements;
        this.units = units;
    }

    /** Stores one station event in one transaction; unknown event types are ignored. */
    @Transactional
    public void store(SpecificRecord event) {
        if (event instanceof RunStarted e) {
            long unitId = units.upsertUnit(e.getProduct(), e.getSerial(), e.getLot());
            measurements.insertRun(unitId, new StartedRun(e.getEventId(), e.getRunId(), e.getOperation().name(),
                    e.getAttempt(), e.getStation(), e.getOperator(), e.getLimitSetId(), e.getChannelCount(),
                    e.getEventTime()));
        } else if (event instanceof AlignmentResult e) {
            for (ChannelAlignment c : e.getChannels()) {
                measurements.insertAlignmentValue(e.getEventId(), e.getRunId(), e.getSerial(), e.getStation(),
                        e.getStep().name(), c.getChannel(), c.getCouplingLossDb(), c.getPdlDb(), e.getEventTime());
            }
        } else if (event instanceof BurnInReading e) {
            if (measurements.markProcessed(e.getEventId(), "BurnInReading")) {
                measurements.addReading(new Reading(e.getRunId(), e.getSerial(), e.getStation(), e.getSlot(),
                        e.getChannel(), e.getEventTime(), e.getPowerDbm(), e.getBiasCurrentMa(), e.getCaseTemperatureC()));
            }
        } else if (event instanceof RunCompleted e) {
            if (!measurements.completeRun(e.getRunId(), e.getEventTime(), e.getAborted(), e.getMeasurementEvents())) {
                LOG.debugf("RunCompleted %s of run %s: run unknown or already completed", e.getEventId(), e.getRunId());
            }
        } else if (event != null) {
            LOG.debugf("station event of type %s ignored", event.getClass().getSimpleName());
        }
    }
}
