package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cpo.simulator.AlignmentSimulator;

class StationAgentMainTest {

    @TempDir
    Path dir;

    private static StationAgentMain parse(String... args) {
        StationAgentMain main = new StationAgentMain();
        StationAgentMain.commandLine(main, args).parseArgs(args);
        return main;
    }

    @Test
    void everyKeyHasADefaultBesideStationAndInput() {
        // when
        AgentConfig config = parse("--station", "AA-01", "--input", dir.resolve("in").toString()).config();

        // then
        assertThat(config.archiveDir()).isEqualTo(dir.resolve("archive"));
        assertThat(config.quarantineDir()).isEqualTo(dir.resolve("quarantine"));
        assertThat(config.spoolDir()).isEqualTo(dir.resolve("spool"));
        assertThat(config.verdictsDir()).isEqualTo(dir.resolve("in"));
        assertThat(config.spoolMaxBytes()).isEqualTo(1L << 30);
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.topic()).isEqualTo("cpo.station-events.v1");
        assertThat(config.verdictsTopic()).isEqualTo("cpo.verdicts.v1");
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.statusPort()).isZero();
    }

    @Test
    void theConfigFileSetsDefaultsAndTheCommandLineWins() throws Exception {
        // given
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "station=BI-07\ninput=" + dir.resolve("rack") + "\nspool-max-bytes=5000\nbootstrap-servers=broker:9093\n"
                + "status-port=9464\n");

        // when
        AgentConfig config = parse("--config", file.toString(), "--bootstrap-servers", "other:9092").config();

        // then
        assertThat(config.station()).isEqualTo("BI-07");
        assertThat(config.inputDir()).isEqualTo(dir.resolve("rack"));
        assertThat(config.spoolMaxBytes()).isEqualTo(5000);
        assertThat(config.statusPort()).isEqualTo(9464);
        assertThat(config.bootstrapServers()).isEqualTo("other:9092");
    }

    @Test
    void checkValidatesTesterFilesWithoutSendingAndFailsOnABadOne() throws Exception {
        // given a folder with good files and one with a broken value
        AlignmentSimulator simulator = new AlignmentSimulator(
                AlignmentSimulator.Config.defaults(5).withSimulatedStart(Instant.parse("2026-11-24T06:00:00Z")));
        Path input = dir.resolve("in");
        simulator.runUnits(3).forEach(r -> simulator.write(r, input));
        Path good = input.resolve("good.burnin");
        Files.writeString(good, "START,2026-11-24T06:00:00Z,1,S1,1,CPO-OE16,L1,op01,CPO-OE16/BURNIN,1\n"
                + "READ,2026-11-24T06:01:00Z,1,S1,1,1,3.0,60.0,85.0\n");
        StringWriter out = new StringWriter();
        String[] args = {"--station", "AA-01", "--input", input.toString(), "--check"};

        // when
        var cmd = StationAgentMain.commandLine(new StationAgentMain(), args);
        cmd.setOut(new PrintWriter(out));
        int good1 = cmd.execute(args);
        Files.writeString(input.resolve("bad.burnin"), "READ,2026-11-24T06:01:00Z,1,S1,1,1,3.0,sixty,85.0\n");
        var cmd2 = StationAgentMain.commandLine(new StationAgentMain(), args);
        StringWriter out2 = new StringWriter();
        cmd2.setOut(new PrintWriter(out2));
        int bad = cmd2.execute(args);

        // then
        assertThat(good1).isZero();
        assertThat(out.toString()).contains("4 files checked, 0 bad");
        assertThat(bad).isEqualTo(1);
        assertThat(out2.toString()).contains("BAD  bad.burnin, line 1, field 'bias_ma'");
        assertThat(Files.list(dir)).noneMatch(p -> p.getFileName().toString().equals("spool"));
    }
}
