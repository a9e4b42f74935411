package com.cpo.platform.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.cpo.platform.live.LiveHub.Removed;
import com.cpo.platform.live.LiveViews.RtyView;
import com.cpo.platform.live.LiveViews.StatisticsView;
import com.cpo.platform.live.LiveViews.YieldView;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

class LiveHubTest {

    private static final Duration RETENTION = Duration.ofDays(14);
    private final LiveHub hub = new LiveHub(100, 2000, RETENTION, new SimpleMeterRegistry());

    @Test
    void whatTheFeedReadsWhileCatchingUpReachesTheDashboardsConnectedMeanwhile() {
        // given a dashboard connected right after a restart, before the feed caught up
        AssertSubscriber<LiveEvent> page = hub.subscribe(LiveFilter.ALL).subscribe().withSubscriber(AssertSubscriber.create(100));
        assertThat(page.getItems()).extracting(LiveEvent::type).containsExactly("snapshot");

        // when the feed reads a lot's yield and RTY while still catching up (not live)
        hub.yieldChanged(lotYield("P1", "LOT-1", 1, Instant.now()), System.currentTimeMillis(), false);
        hub.rtyChanged(rty("P1", "LOT-1", Instant.now()), System.currentTimeMillis(), false);

        // then the dashboard gets both
        assertThat(page.getItems()).extracting(LiveEvent::type).containsExactly("snapshot", "yield", "rty");
    }

    @Test
    void lotFiguresOlderThanTheRetentionAreDroppedAndTheDashboardsTold() {
        // given a lot updated 13 days ago and one updated an hour ago, with yield, RTY and statistics each
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofDays(13));
        hub.yieldChanged(lotYield("P1", "OLD", 1, old), 0, true);
        hub.rtyChanged(rty("P1", "OLD", old), 0, true);
        hub.statisticsChanged(lotStatistics("P1", "OLD", old), 0, true);
        hub.yieldChanged(lotYield("P1", "NEW", 1, now.minus(Duration.ofHours(1))), 0, true);
        hub.rtyChanged(rty("P1", "NEW", now.minus(Duration.ofHours(1))), 0, true);
        hub.statisticsChanged(lotStatistics("P1", "NEW", now.minus(Duration.ofHours(1))), 0, true);
        hub.yieldChanged(stationYield("P1", "AA-01", old), 0, true);
        AssertSubscriber<LiveEvent> page = hub.subscribe(new LiveFilter("P1", "OLD")).subscribe()
                .withSubscriber(AssertSubscriber.create(100));
        assertThat(hub.lotFigures()).isEqualTo(6);

        // when two days pass
        int evicted = hub.evictExpired(now.plus(Duration.ofDays(2)));

        // then the old lot's three figures are gone, the recent lot's and the station's (not lot-keyed) stay
        assertThat(evicted).isEqualTo(3);
        assertThat(hub.lotFigures()).isEqualTo(3);
        LiveHub.Snapshot all = hub.snapshot(LiveFilter.ALL);
        assertThat(all.yield()).extracting(YieldView::group).containsExactlyInAnyOrder("NEW", "AA-01");
        assertThat(all.rty()).extracting(RtyView::lot).containsExactly("NEW");
        assertThat(hub.snapshot(new LiveFilter("P1", "OLD")).statistics()).isEmpty();
        // and the old lot's dashboard was told to drop each
        assertThat(page.getItems()).filteredOn(e -> e.type().equals("removed")).extracting(e -> ((Removed) e.data()).kind())
                .containsExactlyInAnyOrder("yield", "rty", "statistics");
    }

    @Test
    void anAlarmReadBeforeItsUnitsStatusReachesTheLotsDashboardOnceTheUnitIsInTheRack() {
        // given the dashboards of lot L1, of lot L2 and of the whole line
        AssertSubscriber<LiveEvent> lot1 = hub.subscribe(new LiveFilter("P1", "L1")).subscribe().withSubscriber(AssertSubscriber.create(100));
        AssertSubscriber<LiveEvent> lot2 = hub.subscribe(new LiveFilter("P1", "L2")).subscribe().withSubscriber(AssertSubscriber.create(100));
        AssertSubscriber<LiveEvent> line = hub.subscribe(LiveFilter.ALL).subscribe().withSubscriber(AssertSubscriber.create(100));
        hub.rackChanged(new LiveHub.RackView(Instant.now(), "topic", null, List.of()));

        // when an alarm arrives before its unit's status (different topics: either may be read first)
        LiveViews.AlarmView alarm = new LiveViews.AlarmView("R1:2:POWER_DRIFT_PROJECTED", Instant.now(), "R1", "SN1", "BI-01", 3, 2,
                "POWER_DRIFT_PROJECTED", "RAISED", List.of(2), -0.3, -0.5, "dB", -0.05, 4.0, "drifting");
        hub.alarmRaised(alarm, System.currentTimeMillis(), true);

        // then only the whole line's dashboard has it
        assertThat(line.getItems()).extracting(LiveEvent::type).containsExactly("snapshot", "burnin", "alarm");
        assertThat(lot1.getItems()).extracting(LiveEvent::type).containsExactly("snapshot", "burnin");

        // when the unit's status arrives: lot L1
        hub.rackChanged(new LiveHub.RackView(Instant.now(), "topic", null, List.of(new LiveViews.RackUnitView("R1", "SN1", "P1", "L1",
                "BI-01", 3, 6.0, 16, 2, -0.3, -0.05, -0.5, 4.0, 1.0, 0.0))));

        // then lot L1's dashboard gets the rack, then the alarm; lot L2's the rack without the unit and no alarm;
        // the whole line's the rack only (it had the alarm already)
        assertThat(lot1.getItems()).extracting(LiveEvent::type).containsExactly("snapshot", "burnin", "burnin", "alarm");
        assertThat(lot1.getItems().get(3).data()).isEqualTo(alarm);
        assertThat(lot2.getItems()).extracting(LiveEvent::type).containsExactly("snapshot", "burnin", "burnin");
        assertThat(line.getItems()).extracting(LiveEvent::type).containsExactly("snapshot", "burnin", "alarm", "burnin");
        // and the lot's snapshot lists it as open
        assertThat(hub.snapshot(new LiveFilter("P1", "L1")).alarms()).containsExactly(alarm);

        // and a later rack change with the same unit sends the alarm to nobody again
        hub.rackChanged(new LiveHub.RackView(Instant.now(), "topic", null, List.of(new LiveViews.RackUnitView("R1", "SN1", "P1", "L1",
                "BI-01", 3, 6.5, 16, 2, -0.32, -0.05, -0.5, 3.6, 1.0, 0.0))));
        assertThat(lot1.getItems()).filteredOn(e -> e.type().equals("alarm")).hasSize(1);
    }

    @Test
    void aLotFigureAlreadyOlderThanTheRetentionIsNotKeptWhenRead() {
        // when the feed reads back a lot last updated a month ago from the compacted topic
        hub.yieldChanged(lotYield("P1", "ANCIENT", 1, Instant.now().minus(Duration.ofDays(30))), 0, false);
        hub.rtyChanged(rty("P1", "ANCIENT", Instant.now().minus(Duration.ofDays(30))), 0, false);

        // then it takes no memory
        assertThat(hub.lotFigures()).isZero();
    }

    @Test
    void anUnfilteredSnapshotHoldsTheRtyOfTheMostRecentlyUpdatedLotsOnly() {
        // given more lots than a snapshot holds
        Instant start = Instant.now().minus(Duration.ofDays(1));
        for (int i = 0; i < LiveHub.SNAPSHOT_LOTS + 20; i++) {
            hub.rtyChanged(rty("P1", String.format("LOT-%03d", i), start.plusSeconds(i)), 0, true);
        }

        // when
        List<RtyView> rty = hub.snapshot(LiveFilter.ALL).rty();

        // then it holds the latest ones
        assertThat(rty).hasSize(LiveHub.SNAPSHOT_LOTS);
        assertThat(rty).extracting(RtyView::lot).doesNotContain("LOT-000", "LOT-019").contains("LOT-020", "LOT-119");
        // and a lot's own dashboard still gets its RTY
        assertThat(hub.snapshot(new LiveFilter("P1", "LOT-000")).rty()).hasSize(1);
    }

    @Test
    void aTombstoneTellsTheDashboardsThatHeldTheFigure() {
        // given
        hub.yieldChanged(lotYield("P1", "LOT-1", 1, Instant.now()), 0, true);
        AssertSubscriber<LiveEvent> lot1 = hub.subscribe(new LiveFilter("P1", "LOT-1")).subscribe()
                .withSubscriber(AssertSubscriber.create(100));
        AssertSubscriber<LiveEvent> lot2 = hub.subscribe(new LiveFilter("P1", "LOT-2")).subscribe()
                .withSubscriber(AssertSubscriber.create(100));

        // when the key is deleted on its topic
        hub.yieldRemoved("P1|ALIGN|LOT|LOT-1");

        // then
        assertThat(lot1.getItems()).extracting(LiveEvent::data).contains(new Removed("yield", "P1|ALIGN|LOT|LOT-1"));
        assertThat(lot2.getItems()).extracting(LiveEvent::type).containsExactly("snapshot");
        assertThat(hub.snapshot(LiveFilter.ALL).yield()).isEmpty();
    }

    @Test
    void aDashboardThatLeavesIsNoLongerASubscriber() {
        // given
        AssertSubscriber<LiveEvent> page = hub.subscribe(LiveFilter.ALL).subscribe().withSubscriber(AssertSubscriber.create(100));
        assertThat(hub.subscribers()).isEqualTo(1);

        // when
        page.cancel();

        // then
        assertThat(hub.subscribers()).isZero();
    }

    private static YieldView lotYield(String product, String lot, long revision, Instant eventTime) {
        return new YieldView(product + "|ALIGN|LOT|" + lot, "LOT", product, "ALIGN", lot, revision, 10, 8, 9, 12, 9, 0, 0.8, 0.9,
                0.75, 0.2, eventTime);
    }

    private static YieldView stationYield(String product, String station, Instant eventTime) {
        return new YieldView(product + "|ALIGN|STATION|" + station, "STATION", product, "ALIGN", station, 1, 10, 8, 9, 12, 9, 0, 0.8,
                0.9, 0.75, 0.2, eventTime);
    }

    private static RtyView rty(String product, String lot, Instant eventTime) {
        return new RtyView(product + "|" + lot, product, lot, 1, 0.72, Map.of("ALIGN", 0.8, "BURNIN", 0.9), eventTime);
    }

    private static StatisticsView lotStatistics(String product, String lot, Instant eventTime) {
        return new StatisticsView("LOT|" + product + "|" + lot + "|3", "PRODUCT_LOT", product, null, lot, 3, "POST_THERMAL", 1, 40,
                1.2, 0.2, 0.8, 1.9, 0.85, 1.2, 1.5, 1.8, 0, 0.1, List.of(), 0, 0, null, 2.0, 1.3, eventTime,
                StatisticsView.PERCENTILES);
    }
}
