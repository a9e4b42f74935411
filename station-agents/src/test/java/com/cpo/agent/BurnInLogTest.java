package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cpo.events.BurnInReading;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;

class BurnInLogTest {

    private static final String START = "START,2026-11-24T06:00:00Z,3,OE16-BI-01-000003,1,CPO-OE16,L1-B01,op01,CPO-OE16/BURNIN,16\n";
    private static final String READ = "READ,2026-11-24T06:01:00Z,3,OE16-BI-01-000003,1,5,3.215,62.410,85.03\n";
    private static final String END = "END,2026-11-24T07:00:00Z,3,OE16-BI-01-000003,1,960,COMPLETE\n";

    @TempDir
    Path dir;

    @Test
    void readsOnlyCompleteLinesAndResumesAtTheSamePosition() throws Exception {
        // given a log whose last line is still being written
        Path log = dir.resolve("BI-01.burnin");
        Files.writeString(log, "# CPO burn-in log, format 1\n" + START + READ.substring(0, 20), StandardCharsets.UTF_8);

        // when
        BurnInLog.Chunk first = BurnInLog.read(log, 0, 1);
        Files.writeString(log, READ.substring(20), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        BurnInLog.Chunk second = BurnInLog.read(log, first.nextPosition(), first.nextLine());

        // then the partial line is left for the next read, which starts exactly where the first stopped
        assertThat(first.lines()).extracting(BurnInLog.Line::text).containsExactly("# CPO burn-in log, format 1", START.strip());
        assertThat(second.lines()).singleElement().satisfies(l -> {
            assertThat(l.text()).isEqualTo(READ.strip());
            assertThat(l.number()).isEqualTo(3);
            assertThat(l.offset()).isEqualTo(("# CPO burn-in log, format 1\n" + START).length());
        });
        assertThat(second.nextPosition()).isEqualTo(Files.size(log));
    }

    @Test
    void mapsEachRecordToItsEventWithAnIdFromStationFileAndOffset() throws Exception {
        // given
        Path log = dir.resolve("BI-01.burnin");

        // when
        var started = (RunStarted) EventMapper.event("BI-01", log, BurnInLog.parse(log, new BurnInLog.Line(0, 1, START.strip())));
        var reading = (BurnInReading) EventMapper.event("BI-01", log, BurnInLog.parse(log, new BurnInLog.Line(120, 2, READ.strip())));
        var completed = (RunCompleted) EventMapper.event("BI-01", log, BurnInLog.parse(log, new BurnInLog.Line(900, 3, END.strip())));

        // then
        assertThat(started.getRunId()).isEqualTo("BI-01/OE16-BI-01-000003/BURNIN/1");
        assertThat(started.getChannelCount()).isEqualTo(16);
        assertThat(reading.getEventId()).isEqualTo("BI-01:BI-01.burnin:@120");
        assertThat(reading.getRunId()).isEqualTo(started.getRunId());
        assertThat(reading.getChannel()).isEqualTo(5);
        assertThat(reading.getPowerDbm()).isEqualTo(3.215);
        assertThat(reading.getBiasCurrentMa()).isEqualTo(62.41);
        assertThat(reading.getCaseTemperatureC()).isEqualTo(85.03);
        assertThat(reading.getEventTime()).isEqualTo(Instant.parse("2026-11-24T06:01:00Z"));
        assertThat(completed.getMeasurementEvents()).isEqualTo(960);
        assertThat(completed.getAborted()).isFalse();
    }

    @Test
    void aMalformedLineNamesFileLineAndField() {
        // given
        Path log = dir.resolve("BI-01.burnin");
        String bad = READ.strip().replace("3.215", "3,2l5").replace(",3,2l5", ",3.2l5");

        // when / then
        assertThatThrownBy(() -> BurnInLog.parse(log, new BurnInLog.Line(0, 42, bad)))
                .isInstanceOf(TesterFileException.class)
                .hasMessage("BI-01.burnin, line 42, field 'power_dbm': '3.2l5' is not a finite decimal number (dBm)");
        assertThatThrownBy(() -> BurnInLog.parse(log, new BurnInLog.Line(0, 7, "READ,2026-11-24T06:01:00Z,3")))
                .hasMessageContaining("line 7").hasMessageContaining("expected 9 fields");
        assertThatThrownBy(() -> BurnInLog.parse(log, new BurnInLog.Line(0, 8, "PAUSE,2026-11-24T06:01:00Z")))
                .hasMessageContaining("field 'type'");
    }
}
