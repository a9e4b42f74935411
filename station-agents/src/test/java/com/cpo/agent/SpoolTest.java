package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    /** The keys of the events in the blocks, in order: the tests give each entry key SERIAL-i. */
    private static List<String> keys(List<Spool.Row> rows) {
        return rows.stream().flatMap(r -> r.events().stream()).map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList();
    }

    private static Spool.Entry entry(int i) {
        return new Spool.Entry("AA-01:f.align:" + i, "SERIAL-" + i, ("payload-" + i).getBytes(StandardCharsets.UTF_8), 1000L + i);
    }

    @Test
    void eventsAndTheirSourcePositionSurviveAReopenAndLeaveOnlyWhenDeleted() {
        // given
        try (Spool spool = Spool.open(dir)) {
            spool.append(List.of(entry(1), entry(2), entry(3)), List.of(new Spool.SourceMark("burnin:BI-01.burnin", 4096, 57, 0)));
        }

        // when
        try (Spool spool = Spool.open(dir)) {
            List<Spool.Row> rows = spool.next(0, 10);
            assertThat(keys(rows)).containsExactly("SERIAL-1", "SERIAL-2", "SERIAL-3");
            assertThat(rows.get(0).events().get(1).payload()).isEqualTo("payload-2".getBytes(StandardCharsets.UTF_8));
            assertThat(spool.depth()).isEqualTo(3);
            spool.delete(new long[] {rows.get(0).seq()}, 1, 3, rows.get(0).payloadBytes());

            // then
            assertThat(spool.depth()).isZero();
            assertThat(spool.payloadBytes()).isZero();
            assertThat(spool.mark("burnin:BI-01.burnin")).hasValueSatisfying(m -> {
                assertThat(m.position()).isEqualTo(4096);
                assertThat(m.line()).isEqualTo(57);
            });
        }
        try (Spool spool = Spool.open(dir)) {
            assertThat(spool.next(0, 10)).isEmpty();
        }
    }

    @Test
    void aRowWhosePayloadNoLongerMatchesItsChecksumIsSetAsideNotSent() throws Exception {
        // given a spool where the disk changed one payload behind SQLite's back
        try (Spool spool = Spool.open(dir)) {
            spool.append(List.of(entry(1)), List.of());
            spool.append(List.of(entry(2)), List.of());
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Spool.FILE_NAME)); var s = c.createStatement()) {
            s.executeUpdate("UPDATE events SET block = X'00' WHERE first_event_id = 'AA-01:f.align:1'");
        }

        // when
        try (Spool spool = Spool.open(dir)) {
            List<Spool.Row> rows = spool.next(0, 10);

            // then
            assertThat(keys(rows)).containsExactly("SERIAL-2");
            assertThat(spool.corrupt()).isEqualTo(1);
            assertThat(spool.depth()).isEqualTo(1);
        }
    }

    @Test
    void aTornWriteAtTheEndOfTheWalIsDroppedOnOpenAndCommittedEventsStay() throws Exception {
        // given the files a crash leaves: a committed transaction in the WAL, then half a frame of garbage after it
        Path crashed = dir.resolve("crashed");
        Files.createDirectories(crashed);
        try (Spool spool = Spool.open(dir.resolve("live"))) {
            spool.append(List.of(entry(1), entry(2)), List.of(new Spool.SourceMark("align:f.align", 10, 3, 7)));
            Files.copy(dir.resolve("live").resolve(Spool.FILE_NAME), crashed.resolve(Spool.FILE_NAME));
            Files.copy(dir.resolve("live").resolve(Spool.FILE_NAME + "-wal"), crashed.resolve(Spool.FILE_NAME + "-wal"));
        }
        byte[] torn = new byte[2000];
        new java.util.Random(1).nextBytes(torn);
        Files.write(crashed.resolve(Spool.FILE_NAME + "-wal"), torn, StandardOpenOption.APPEND);

        // when
        try (Spool spool = Spool.open(crashed)) {
            // then
            assertThat(keys(spool.next(0, 10))).containsExactly("SERIAL-1", "SERIAL-2");
            assertThat(spool.mark("align:f.align")).isPresent();
            assertThat(spool.corrupt()).isZero();
        }
    }

    @Test
    void aWriteThatFindsTheDiskFullFailsAndTheSpoolWorksAgainOnceThereIsRoom() {
        try (Spool spool = Spool.open(dir)) {
            spool.append(List.of(entry(1)), List.of(new Spool.SourceMark("align:a.align", 10, 3, 7)));
            // given a disk with no room for the next write
            spool.capPagesForTest(1);
            List<Spool.Entry> big = new java.util.ArrayList<>();
            for (int i = 2; i < 600; i++) {
                big.add(new Spool.Entry("AA-01:f.align:" + i, "SERIAL-" + i, new byte[2048], 1000L + i));
            }

            // when a write fails for it
            assertThatThrownBy(() -> spool.append(big, List.of(new Spool.SourceMark("align:b.align", 99, 9, 1))))
                    .hasMessageContaining("full");

            // then nothing of it was taken, and once there is room again, reads and writes work
            spool.capPagesForTest(1_000_000);
            assertThat(spool.mark("align:b.align")).isEmpty();
            assertThat(spool.mark("align:a.align")).isPresent();
            spool.append(List.of(entry(2)), List.of(new Spool.SourceMark("align:c.align", 5, 1, 0)));
            assertThat(spool.mark("align:c.align")).isPresent();
            assertThat(spool.depth()).isEqualTo(2);
        }
    }

    @Test
    void verdictOffsetsAndWrittenIdsCommitTogether() {
        // given
        try (Spool spool = Spool.open(dir)) {
            spool.recordVerdicts("cpo.verdicts.v1", java.util.Map.of(0, 17L, 2, 5L), java.util.Map.of("v-1", "S_1.verdict"));
        }

        // when
        try (Spool spool = Spool.open(dir)) {
            // then
            assertThat(spool.consumerOffsets("cpo.verdicts.v1")).containsEntry(0, 17L).containsEntry(2, 5L);
            assertThat(spool.verdictWritten("v-1")).isTrue();
            assertThat(spool.verdictWritten("v-2")).isFalse();
        }
    }
}
