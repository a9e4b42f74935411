package com.cpo.service.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.service.PlatformConfig;
import com.cpo.service.persistence.MeasurementRepository.RunUnit;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class BurnInWatchTest {

    private static final double[] POWER_DRIFT_LIMIT_DB = {-0.5, 0.5};

    @Test
    void aFallingDriftReachesTheLowerLimitAfterTheRemainingMarginOverTheSlope() {
        // when drift is -0.1 dB and falls 0.02 dB per hour
        Double hours = BurnInWatch.hoursToLimit(-0.1, -0.02, POWER_DRIFT_LIMIT_DB);

        // then it reaches -0.5 dB in 20 h
        assertThat(hours).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void aRisingDriftHeadsForTheUpperLimit() {
        assertThat(BurnInWatch.hoursToLimit(-0.1, 0.06, POWER_DRIFT_LIMIT_DB)).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void aDriftBeyondItsLimitIsThereAlready() {
        assertThat(BurnInWatch.hoursToLimit(0.55, -0.01, POWER_DRIFT_LIMIT_DB)).isEqualTo(0.0);
    }

    @Test
    void aFlatDriftOrOneWithoutLimitOnItsSideHeadsNowhere() {
        assertThat(BurnInWatch.hoursToLimit(0.2, 0.0, POWER_DRIFT_LIMIT_DB)).isNull();
        assertThat(BurnInWatch.hoursToLimit(0.2, 0.01, new double[] {-0.5, Double.NaN})).isNull();
        assertThat(BurnInWatch.hoursToLimit(null, 0.01, POWER_DRIFT_LIMIT_DB)).isNull();
        assertThat(BurnInWatch.hoursToLimit(0.2, 0.01, null)).isNull();
    }

    @Test
    void aFailingDatabaseLookupIsReportedAsSuchNotAsAnUnreachableAnalyticsApp() throws Exception {
        // given the analytics app answered, but the database lookup of the units fails
        LiveHub hub = new LiveHub(100, 2000, Duration.ofDays(14), new SimpleMeterRegistry());
        BurnInWatch.BurnInLookup lookup = new BurnInWatch.BurnInLookup(null, null) {
            @Override
            public List<RunUnit> unitsOfRuns(Collection<String> runIds) {
                throw new IllegalStateException("Acquisition timeout while waiting for new connection");
            }
        };
        ObjectMapper json = new ObjectMapper();
        BurnInWatch watch = new BurnInWatch(hub, json, lookup, config("http://127.0.0.1:1"));

        // when
        watch.refresh(json.readTree("[{\"runId\":\"R1\",\"channel\":1,\"powerDriftDb\":0.1}]"));

        // then the rack panel says what failed
        String error = hub.snapshot(LiveFilter.ALL).burnin().error();
        assertThat(error).contains("database").contains("Acquisition timeout").doesNotContain("not reachable");
    }

    private static PlatformConfig config(String analyticsUrl) {
        PlatformConfig.Dashboard dashboard = (PlatformConfig.Dashboard) Proxy.newProxyInstance(BurnInWatchTest.class.getClassLoader(),
                new Class<?>[] {PlatformConfig.Dashboard.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "analyticsUrl" -> analyticsUrl;
                    case "burninRefresh" -> Duration.ofSeconds(2);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (PlatformConfig) Proxy.newProxyInstance(BurnInWatchTest.class.getClassLoader(), new Class<?>[] {PlatformConfig.class},
                (proxy, method, args) -> dashboard);
    }
}
