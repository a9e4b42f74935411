package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.RunCompleted;
import com.cpo.events.ScanPoint;
import com.cpo.events.RunStarted;
import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.SimulatedRun;

class AlignmentFileTest {

    private final AlignmentSimulator simulator = new AlignmentSimulator(
            AlignmentSimulator.Config.defaults(7).withSimulatedStart(Instant.parse("2026-11-24T06:00:00Z")));

    @Test
    void aSimulatedFileParsesBackToExactlyTheValuesWritten() throws Exception {
        // given
        SimulatedRun run = simulator.next();

        // when
        AlignmentFile file = AlignmentFile.parse(Path.of(run.fileName()), simulator.format(run));

        // then
        assertThat(file.serial()).isEqualTo(run.serial());
        assertThat(file.steps()).hasSize(3);
        for (AlignmentStep step : AlignmentStep.values()) {
            for (AlignmentFile.Row row : file.steps().get(step)) {
                assertThat(row.couplingLossDb()).isEqualTo(run.valueAt(step, row.channel()));
            }
        }
    }

    @Test
    void eventIdsComeFromStationFileAndLineSoARereadGivesTheSameIds() throws Exception {
        SimulatedRun run = simulator.next();
        String content = simulator.format(run);

        List<SpecificRecord> first = EventMapper.events(AlignmentFile.parse(Path.of(run.fileName()), content));
        List<SpecificRecord> again = EventMapper.events(AlignmentFile.parse(Path.of(run.fileName()), content));

        assertThat(first).hasSize(5).isEqualTo(again);
        assertThat(first.get(0)).isInstanceOf(RunStarted.class);
        assertThat(first.get(1)).isInstanceOf(AlignmentResult.class);
        assertThat(first.get(4)).isInstanceOf(RunCompleted.class);
        assertThat(((RunStarted) first.get(0)).getEventId()).isEqualTo("AA-01:" + run.fileName() + ":2");
        assertThat(((RunCompleted) first.get(4)).getMeasurementEvents()).isEqualTo(3);
    }

    @Test
    void aBadNumberIsReportedWithFileLineAndField() {
        SimulatedRun run = simulator.next();
        String content = simulator.format(run).replaceFirst("PRE_CURE,3,[0-9.]+,", "PRE_CURE,3,1,2O5,");
        // line 1 comment, 2 [header], 3..16 header (with the genealogy), 17 [results], 18 columns, 19 channel 1, so channel 3 is line 21
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("x.align"), content))
                .isInstanceOf(TesterFileException.class)
                .hasMessageContaining("x.align, line 21");
    }

    @Test
    void aNonNumericLossNamesTheField() {
        SimulatedRun run = simulator.next();
        String content = simulator.format(run).replaceFirst("POST_UV,2,[0-9.]+,", "POST_UV,2,abc,");
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("y.align"), content))
                .isInstanceOf(TesterFileException.class)
                .hasMessageContaining("line 36")
                .hasMessageContaining("field 'coupling_loss_db'")
                .hasMessageContaining("'abc' is not a finite decimal number");
    }

    @Test
    void aFileWithoutItsEndMarkerIsTruncated() {
        SimulatedRun run = simulator.next();
        String content = simulator.format(run).replace("[end]\n", "");
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("z.align"), content))
                .hasMessageContaining("no [end] marker");
    }

    @Test
    void aMissingHeaderFieldIsNamed() {
        SimulatedRun run = simulator.next();
        String content = simulator.format(run).replaceFirst("lot=.*\n", "");
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("w.align"), content))
                .hasMessageContaining("field 'lot'").hasMessageContaining("required header field missing");
    }

    @Test
    void aMissingChannelInAStepIsReported() {
        SimulatedRun run = simulator.next();
        String content = simulator.format(run).replaceFirst("POST_THERMAL,16,.*\n", "");
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("v.align"), content))
                .hasMessageContaining("step POST_THERMAL has 15 channels, header says 16");
    }

    @Test
    void anOptionalScanIsPublishedWithItsStepAndTheMeasurementsStayTheSame() throws Exception {
        // given the same run written with and without its power-vs-position scan
        SimulatedRun run = simulator.next();
        String plain = simulator.format(run);
        String scanned = new AlignmentSimulator(AlignmentSimulator.Config.defaults(7)).withScan(5).format(run);

        // when
        AlignmentFile withScan = AlignmentFile.parse(Path.of(run.fileName()), scanned);

        // then the pre-cure step carries its 5 × 5 points per channel, value for value
        assertThat(scanned).contains("[scan]\nstep,channel,x_um,y_um,power_dbm\nPRE_CURE,1,-1.000,-1.000,");
        assertThat(scanned.lines().filter(l -> l.startsWith("PRE_CURE,")).count()).isEqualTo(run.channels() * (1 + 25L));
        List<SpecificRecord> scannedEvents = EventMapper.events(withScan);
        List<SpecificRecord> plainEvents = EventMapper.events(AlignmentFile.parse(Path.of(run.fileName()), plain));
        AlignmentResult preCure = (AlignmentResult) scannedEvents.get(1);
        assertThat(preCure.getStep()).isEqualTo(AlignmentStep.PRE_CURE);
        assertThat(preCure.getScan()).hasSize(run.channels() * 25);
        String firstRow = scanned.lines().filter(l -> l.startsWith("PRE_CURE,1,-1.000,-1.000,")).findFirst().orElseThrow();
        assertThat(preCure.getScan().get(0)).isEqualTo(new ScanPoint(1, -1.0, -1.0, Double.parseDouble(firstRow.split(",")[4])));
        assertThat(((AlignmentResult) scannedEvents.get(2)).getScan()).isNull();
        // the measurements are the same; only the end marker's line (the RunCompleted id) moved down past the scan
        AlignmentResult withoutScan = AlignmentResult.newBuilder(preCure).setScan(null).build();
        assertThat(withoutScan).isEqualTo(plainEvents.get(1));
        assertThat(scannedEvents.get(0)).isEqualTo(plainEvents.get(0));
        assertThat(((RunCompleted) scannedEvents.get(4)).getMeasurementEvents()).isEqualTo(3);
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("x.align"), scanned.replaceFirst("PRE_CURE,1,-1.000,-1.000,", "PRE_CURE,1,-1.000,far,")))
                .hasMessageContaining("field 'y_um'").hasMessageContaining("µm");
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("x.align"), scanned.replaceFirst("PRE_CURE,1,-1.000,-1.000,", "PRE_CURE,99,-1.000,-1.000,")))
                .hasMessageContaining("channel 99");
    }

    @Test
    void theGenealogyIsPublishedWithTheRunAndABadOneIsNamed() throws Exception {
        SimulatedRun run = simulator.next();
        String content = simulator.format(run);
        RunStarted started = (RunStarted) EventMapper.events(AlignmentFile.parse(Path.of(run.fileName()), content)).get(0);
        assertThat(started.getPicWafer()).isEqualTo(header(content, "pic_wafer")).startsWith("PW");
        assertThat(started.getPicDie()).isEqualTo(header(content, "pic_die")).matches("X\\d{2}Y\\d{2}");
        assertThat(started.getFiberArraySerial()).isEqualTo(header(content, "fiber_array")).startsWith("FAU-");
        // optional: a file without it has none
        String without = content.replaceAll("(?m)^(pic_wafer|pic_die|fiber_array)=.*\n", "");
        RunStarted bare = (RunStarted) EventMapper.events(AlignmentFile.parse(Path.of(run.fileName()), without)).get(0);
        assertThat(bare.getPicWafer()).isNull();
        assertThat(bare.getFiberArraySerial()).isNull();
        // a value that is no identifier is refused at its line, naming the field
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("g.align"), content.replaceFirst("pic_die=.*", "pic_die=X1 Y2/../")))
                .hasMessageContaining("line 15").hasMessageContaining("field 'pic_die'");
    }

    @Test
    void aScanTooLargeForOneEventIsRefused() {
        SimulatedRun run = simulator.next();
        StringBuilder scan = new StringBuilder("[scan]\nstep,channel,x_um,y_um,power_dbm\n");
        for (int i = 0; i <= AlignmentFile.MAX_SCAN_POINTS_PER_STEP; i++) {
            scan.append("PRE_CURE,1,").append(i).append(".0,0.0,-3.0\n");
        }
        String content = simulator.format(run).replace("[end]\n", scan + "[end]\n");
        assertThatThrownBy(() -> AlignmentFile.parse(Path.of("big.align"), content))
                .hasMessageContaining("more than " + AlignmentFile.MAX_SCAN_POINTS_PER_STEP + " points");
    }

    private static String header(String content, String key) {
        return content.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow().substring(key.length() + 1);
    }
}
