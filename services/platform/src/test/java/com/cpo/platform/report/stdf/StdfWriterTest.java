package com.cpo.platform.report.stdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.platform.report.stdf.StdfReader.StdfRecord;
import com.cpo.platform.report.stdf.StdfWriter.Lot;
import com.cpo.platform.report.stdf.StdfWriter.Part;
import com.cpo.platform.report.stdf.StdfWriter.Result;

class StdfWriterTest {

    private static final Instant SETUP = Instant.parse("2025-03-04T05:06:07Z");
    private static final Instant START = Instant.parse("2025-03-04T05:10:00Z");
    private static final Instant FINISH = Instant.parse("2025-03-04T09:00:00Z");
    private static final Lot LOT = new Lot(SETUP, START, 258, "LOT-42", "CPO-800G", "station-07", "cpo-rig",
            "coupling", "r3", "alice", "cpo-platform", "0.1.0", "FT", "Fab 2", "Floor 1", "CPO-SPEC", "v7",
            "night shift");

    private static final int PTR_FAILED = 0x80;
    private static final int PARM_INCLUSIVE_LIMITS = 0x40 | 0x80;
    private static final int PARM_ABOVE_HIGH = 0x08;
    private static final int PARM_BELOW_LOW = 0x10;
    private static final int PTR_OPT_BOTH_LIMITS = 0x02 | 0x04 | 0x08;
    private static final int PTR_OPT_NO_LOW_LIMIT = 0x40;
    private static final int PTR_OPT_NO_HIGH_LIMIT = 0x80;
    private static final int PRR_RETEST = 0x01;
    private static final int PRR_ABNORMAL_END = 0x04;
    private static final int PRR_FAILED = 0x08;
    private static final long U4_MISSING = 4_294_967_295L;

    @Test
    void recordsComeInTheOrderTheSpecAsks() throws IOException {
        // given
        List<Part> parts = List.of(
                part("SN1", false, false, 1, 1, coupling(100, "ch1", 1.2, false), coupling(101, "ch2", 1.4, false)),
                part("SN2", false, true, 5, 50, coupling(100, "ch1", 2.5, true)));

        // when
        List<StdfRecord> records = writeAndRead(parts);

        // then
        assertThat(records).extracting(StdfRecord::name).containsExactly("FAR", "MIR",
                "PIR", "PTR", "PTR", "PRR",
                "PIR", "PTR", "PRR",
                "TSR", "TSR", "HBR", "HBR", "SBR", "SBR", "PCR", "MRR");
    }

    @Test
    void farDeclaresLittleEndianVersion4() throws IOException {
        // when
        byte[] bytes = write(List.of());
        StdfRecord far = StdfReader.read(new ByteArrayInputStream(bytes)).get(0);

        // then
        assertThat(far.number("CPU_TYPE")).isEqualTo(2);
        assertThat(far.number("STDF_VER")).isEqualTo(4);
        assertThat(bytes).startsWith(2, 0, 0, 10, 2, 4);
    }

    @Test
    void mirCarriesTheLotsTimesCodesAndStrings() throws IOException {
        // when
        StdfRecord mir = writeAndRead(List.of()).get(1);

        // then
        assertThat(mir.type()).isEqualTo(1);
        assertThat(mir.sub()).isEqualTo(10);
        assertThat(mir.number("SETUP_T")).isEqualTo(SETUP.getEpochSecond());
        assertThat(mir.number("START_T")).isEqualTo(START.getEpochSecond());
        assertThat(mir.number("STAT_NUM")).isEqualTo(258 & 0xFF);
        assertThat(mir.character("MODE_COD")).isEqualTo('P');
        assertThat(mir.character("RTST_COD")).isEqualTo(' ');
        assertThat(mir.character("PROT_COD")).isEqualTo(' ');
        assertThat(mir.number("BURN_TIM")).isEqualTo(65_535);
        assertThat(mir.character("CMOD_COD")).isEqualTo(' ');
        assertThat(mir.text("LOT_ID")).isEqualTo("LOT-42");
        assertThat(mir.text("PART_TYP")).isEqualTo("CPO-800G");
        assertThat(mir.text("NODE_NAM")).isEqualTo("station-07");
        assertThat(mir.text("TSTR_TYP")).isEqualTo("cpo-rig");
        assertThat(mir.text("JOB_NAM")).isEqualTo("coupling");
        assertThat(mir.text("JOB_REV")).isEqualTo("r3");
        assertThat(mir.text("SBLOT_ID")).isEmpty();
        assertThat(mir.text("OPER_NAM")).isEqualTo("alice");
        assertThat(mir.text("EXEC_TYP")).isEqualTo("cpo-platform");
        assertThat(mir.text("EXEC_VER")).isEqualTo("0.1.0");
        assertThat(mir.text("TEST_COD")).isEqualTo("FT");
        assertThat(mir.text("TST_TEMP")).isEmpty();
        assertThat(mir.text("USER_TXT")).isEqualTo("night shift");
        assertThat(mir.text("FACIL_ID")).isEqualTo("Fab 2");
        assertThat(mir.text("FLOOR_ID")).isEqualTo("Floor 1");
        assertThat(mir.text("SPEC_NAM")).isEqualTo("CPO-SPEC");
        assertThat(mir.text("SPEC_VER")).isEqualTo("v7");
        assertThat(mir.text("SUPR_NAM")).isEmpty();
        assertThat(mir.fields()).hasSize(38);
    }

    @Test
    void passingPartHasNoFailBitsAndEveryPtrFieldWritten() throws IOException {
        // given
        Part part = part("SN1", false, false, 1, 1, coupling(100, "ch1", 1.25, false));

        // when
        List<StdfRecord> records = writeAndRead(List.of(part));

        // then
        StdfRecord pir = records.get(2);
        assertThat(pir.number("HEAD_NUM")).isEqualTo(1);
        assertThat(pir.number("SITE_NUM")).isEqualTo(1);
        StdfRecord ptr = records.get(3);
        assertThat(ptr.fields()).hasSize(20);
        assertThat(ptr.number("TEST_NUM")).isEqualTo(100);
        assertThat(ptr.number("HEAD_NUM")).isEqualTo(1);
        assertThat(ptr.number("SITE_NUM")).isEqualTo(1);
        assertThat(ptr.bits("TEST_FLG")).isZero();
        assertThat(ptr.bits("PARM_FLG")).isEqualTo(PARM_INCLUSIVE_LIMITS);
        assertThat(ptr.real("RESULT")).isEqualTo(1.25f);
        assertThat(ptr.text("TEST_TXT")).isEqualTo("coupling_loss PRE_CURE ch1");
        assertThat(ptr.text("ALARM_ID")).isEmpty();
        assertThat(ptr.bits("OPT_FLAG")).isEqualTo(PTR_OPT_BOTH_LIMITS);
        assertThat(ptr.number("RES_SCAL")).isZero();
        assertThat(ptr.number("LLM_SCAL")).isZero();
        assertThat(ptr.number("HLM_SCAL")).isZero();
        assertThat(ptr.real("LO_LIMIT")).isEqualTo(0.5f);
        assertThat(ptr.real("HI_LIMIT")).isEqualTo(2.0f);
        assertThat(ptr.text("UNITS")).isEqualTo("dB");
        assertThat(ptr.text("C_RESFMT")).isEqualTo("%7.3f");
        assertThat(ptr.text("C_LLMFMT")).isEqualTo("%7.3f");
        assertThat(ptr.text("C_HLMFMT")).isEqualTo("%7.3f");
        assertThat(ptr.real("LO_SPEC")).isZero();
        assertThat(ptr.real("HI_SPEC")).isZero();
        StdfRecord prr = records.get(4);
        assertThat(prr.fields()).hasSize(12);
        assertThat(prr.number("HEAD_NUM")).isEqualTo(1);
        assertThat(prr.number("SITE_NUM")).isEqualTo(1);
        assertThat(prr.bits("PART_FLG")).isZero();
        assertThat(prr.number("NUM_TEST")).isEqualTo(1);
        assertThat(prr.number("HARD_BIN")).isEqualTo(1);
        assertThat(prr.number("SOFT_BIN")).isEqualTo(1);
        assertThat(prr.number("X_COORD")).isEqualTo(-32_768);
        assertThat(prr.number("Y_COORD")).isEqualTo(-32_768);
        assertThat(prr.number("TEST_T")).isEqualTo(1_500);
        assertThat(prr.text("PART_ID")).isEqualTo("SN1");
        assertThat(prr.text("PART_TXT")).isEqualTo("unit SN1");
        assertThat((byte[]) prr.fields().get("PART_FIX")).isEmpty();
    }

    @Test
    void resultAboveItsHighLimitFailsTheTestAndThePart() throws IOException {
        // given
        Part part = part("SN2", false, true, 5, 50, coupling(100, "ch1", 2.5, true), coupling(101, "ch2", 0.25, true));

        // when
        List<StdfRecord> records = writeAndRead(List.of(part));

        // then
        StdfRecord above = records.get(3);
        assertThat(above.bits("TEST_FLG")).isEqualTo(PTR_FAILED);
        assertThat(above.bits("PARM_FLG")).isEqualTo(PARM_INCLUSIVE_LIMITS | PARM_ABOVE_HIGH);
        StdfRecord below = records.get(4);
        assertThat(below.bits("TEST_FLG")).isEqualTo(PTR_FAILED);
        assertThat(below.bits("PARM_FLG")).isEqualTo(PARM_INCLUSIVE_LIMITS | PARM_BELOW_LOW);
        StdfRecord prr = records.get(5);
        assertThat(prr.bits("PART_FLG")).isEqualTo(PRR_FAILED);
        assertThat(prr.number("HARD_BIN")).isEqualTo(5);
        assertThat(prr.number("SOFT_BIN")).isEqualTo(50);
    }

    @Test
    void resultEqualToALimitIsNotFlaggedOutside() throws IOException {
        // given
        Part part = part("SN1", false, false, 1, 1, coupling(100, "ch1", 2.0, false), coupling(101, "ch2", 0.5, false));

        // when
        List<StdfRecord> records = writeAndRead(List.of(part));

        // then
        assertThat(records.get(3).bits("PARM_FLG")).isEqualTo(PARM_INCLUSIVE_LIMITS);
        assertThat(records.get(4).bits("PARM_FLG")).isEqualTo(PARM_INCLUSIVE_LIMITS);
    }

    @Test
    void retestOfTheSamePartIdSupersedesTheFirstTest() throws IOException {
        // given
        List<Part> parts = List.of(
                part("SN3", false, true, 5, 50, coupling(100, "ch1", 2.5, true)),
                part("SN3", true, false, 1, 1, coupling(100, "ch1", 1.5, false)));

        // when
        List<StdfRecord> records = writeAndRead(parts);

        // then
        List<StdfRecord> prrs = named(records, "PRR");
        assertThat(prrs).extracting(prr -> prr.bits("PART_FLG")).containsExactly(PRR_FAILED, PRR_RETEST);
        assertThat(prrs).extracting(prr -> prr.text("PART_ID")).containsExactly("SN3", "SN3");
        StdfRecord pcr = named(records, "PCR").get(0);
        assertThat(pcr.number("PART_CNT")).isEqualTo(2);
        assertThat(pcr.number("RTST_CNT")).isEqualTo(1);
    }

    @Test
    void resultWithoutALowLimitFlagsOnlyTheLowLimitMissing() throws IOException {
        // given
        Result noLow = new Result(200, "bias_drift", "POST_CURE", 3.0, null, 5.0, "%", false);
        Result noHigh = new Result(201, "power", "POST_CURE", 3.0, 1.0, null, "mW", false);

        // when
        List<StdfRecord> records = writeAndRead(List.of(part("SN1", false, false, 1, 1, noLow, noHigh)));

        // then
        StdfRecord withoutLow = records.get(3);
        assertThat(withoutLow.bits("OPT_FLAG") & PTR_OPT_NO_LOW_LIMIT).isNotZero();
        assertThat(withoutLow.bits("OPT_FLAG") & PTR_OPT_NO_HIGH_LIMIT).isZero();
        assertThat(withoutLow.bits("OPT_FLAG")).isEqualTo(PTR_OPT_BOTH_LIMITS | PTR_OPT_NO_LOW_LIMIT);
        assertThat(withoutLow.real("LO_LIMIT")).isZero();
        assertThat(withoutLow.real("HI_LIMIT")).isEqualTo(5.0f);
        assertThat(withoutLow.bits("PARM_FLG")).isEqualTo(PARM_INCLUSIVE_LIMITS);
        StdfRecord withoutHigh = records.get(4);
        assertThat(withoutHigh.bits("OPT_FLAG")).isEqualTo(PTR_OPT_BOTH_LIMITS | PTR_OPT_NO_HIGH_LIMIT);
        assertThat(withoutHigh.real("LO_LIMIT")).isEqualTo(1.0f);
        assertThat(withoutHigh.real("HI_LIMIT")).isZero();
    }

    @Test
    void aPartWithoutAVerdictHasNoPassFailIndicationAndAResultWithoutLimitsNone() throws IOException {
        // given a judged part and one not judged yet, whose result had no limits to be held to
        List<Part> parts = List.of(part("SN1", false, false, 1, 1, coupling(100, "ch1", 1.5, false)),
                new Part("SN2", "unit SN2", false, null, false, 4, "NOT JUDGED", 40, "NOT JUDGED", 1_000,
                        List.of(new Result(100, "coupling_loss", "PRE_CURE ch1", 1.6, null, null, "dB", false))));

        // when
        List<StdfRecord> records = writeAndRead(parts);

        // then PART_FLG bit 4 (bit 3 not valid), TEST_FLG bit 6 (no pass/fail indication), neither good nor failed
        assertThat(named(records, "PRR").get(1).bits("PART_FLG")).isEqualTo(0x10);
        assertThat(named(records, "PTR").get(1).bits("TEST_FLG")).isEqualTo(0x40);
        assertThat(named(records, "PTR").get(0).bits("TEST_FLG")).isZero();
        assertThat(named(records, "PCR").get(0).number("GOOD_CNT")).isEqualTo(1);
        assertThat(named(records, "HBR").get(1).character("HBIN_PF")).isEqualTo(' ');
    }

    @Test
    void tsrSummarisesEachTestNumberInAscendingOrder() throws IOException {
        // given: test 300 seen first, values 1.5, 2.5, 4.0 for test 100 (one failed)
        List<Part> parts = List.of(
                part("SN1", false, false, 1, 1, new Result(300, "power", "", 7.0, null, null, "mW", false),
                        coupling(100, "ch1", 1.5, false)),
                part("SN2", false, false, 1, 1, coupling(100, "ch1", 2.5, false)),
                part("SN3", false, true, 5, 50, coupling(100, "ch1", 4.0, true)));

        // when
        List<StdfRecord> tsrs = named(writeAndRead(parts), "TSR");

        // then
        assertThat(tsrs).extracting(tsr -> tsr.number("TEST_NUM")).containsExactly(100L, 300L);
        StdfRecord tsr = tsrs.get(0);
        assertThat(tsr.fields()).hasSize(16);
        assertThat(tsr.number("HEAD_NUM")).isEqualTo(255);
        assertThat(tsr.number("SITE_NUM")).isZero();
        assertThat(tsr.character("TEST_TYP")).isEqualTo('P');
        assertThat(tsr.number("EXEC_CNT")).isEqualTo(3);
        assertThat(tsr.number("FAIL_CNT")).isEqualTo(1);
        assertThat(tsr.number("ALRM_CNT")).isEqualTo(U4_MISSING);
        assertThat(tsr.text("TEST_NAM")).isEqualTo("coupling_loss PRE_CURE ch1");
        assertThat(tsr.text("SEQ_NAME")).isEqualTo("PRE_CURE ch1");
        assertThat(tsr.text("TEST_LBL")).isEmpty();
        assertThat(tsr.bits("OPT_FLAG")).as("TEST_TIM invalid, reserved bits 3, 6, 7 set").isEqualTo(0x04 | 0x08 | 0xC0);
        assertThat(tsr.real("TEST_TIM")).isZero();
        assertThat(tsr.real("TEST_MIN")).isEqualTo(1.5f);
        assertThat(tsr.real("TEST_MAX")).isEqualTo(4.0f);
        assertThat(tsr.real("TST_SUMS")).isEqualTo(8.0f);
        assertThat(tsr.real("TST_SQRS")).isEqualTo(24.5f);
        assertThat(tsrs.get(1).text("TEST_NAM")).isEqualTo("power");
        assertThat(tsrs.get(1).text("SEQ_NAME")).isEmpty();
    }

    @Test
    void tsrKeepsTheFirstNameOfATestNumber() throws IOException {
        // given
        List<Part> parts = List.of(
                part("SN1", false, false, 1, 1, new Result(100, "first", "A", 1.0, null, null, "", false)),
                part("SN2", false, false, 1, 1, new Result(100, "renamed", "B", 2.0, null, null, "", false)));

        // when
        StdfRecord tsr = named(writeAndRead(parts), "TSR").get(0);

        // then
        assertThat(tsr.text("TEST_NAM")).isEqualTo("first A");
        assertThat(tsr.text("SEQ_NAME")).isEqualTo("A");
    }

    @Test
    void binSummariesCountThePartsAndTellPassingFromFailingBins() throws IOException {
        // given: hard bin 1 all pass, hard bin 5 all fail, soft bin 7 mixed
        List<Part> parts = List.of(
                part("SN1", false, true, 5, 7, coupling(100, "ch1", 2.5, true)),
                part("SN2", false, false, 1, 7, coupling(100, "ch1", 1.5, false)),
                part("SN3", false, false, 1, 1, coupling(100, "ch1", 1.0, false)),
                part("SN4", false, true, 5, 50, coupling(100, "ch1", 3.0, true)));

        // when
        List<StdfRecord> records = writeAndRead(parts);

        // then
        List<StdfRecord> hbrs = named(records, "HBR");
        assertThat(hbrs).extracting(hbr -> hbr.number("HBIN_NUM")).containsExactly(1L, 5L);
        assertThat(hbrs).extracting(hbr -> hbr.number("HBIN_CNT")).containsExactly(2L, 2L);
        assertThat(hbrs).extracting(hbr -> hbr.character("HBIN_PF")).containsExactly('P', 'F');
        assertThat(hbrs).extracting(hbr -> hbr.text("HBIN_NAM")).containsExactly("PASS", "FAIL");
        assertThat(hbrs).extracting(hbr -> hbr.number("HEAD_NUM")).containsOnly(255L);
        assertThat(hbrs).extracting(hbr -> hbr.number("SITE_NUM")).containsOnly(0L);
        List<StdfRecord> sbrs = named(records, "SBR");
        assertThat(sbrs).extracting(sbr -> sbr.number("SBIN_NUM")).containsExactly(1L, 7L, 50L);
        assertThat(sbrs).extracting(sbr -> sbr.number("SBIN_CNT")).containsExactly(1L, 2L, 1L);
        assertThat(sbrs).extracting(sbr -> sbr.character("SBIN_PF")).containsExactly('P', ' ', 'F');
        assertThat(sbrs).extracting(sbr -> sbr.text("SBIN_NAM")).containsExactly("soft 1", "soft 7", "soft 50");
    }

    @Test
    void pcrAndMrrCloseTheLot() throws IOException {
        // given: 4 parts, one failed, one retested, one ended abnormally
        List<Part> parts = new ArrayList<>();
        parts.add(part("SN1", false, false, 1, 1, coupling(100, "ch1", 1.0, false)));
        parts.add(part("SN2", false, true, 5, 50, coupling(100, "ch1", 2.5, true)));
        parts.add(part("SN2", true, false, 1, 1, coupling(100, "ch1", 1.0, false)));
        parts.add(new Part("SN4", "", false, false, true, 9, "ABORT", 90, "abort", 10, List.of()));

        // when
        List<StdfRecord> records = writeAndRead(parts);

        // then
        StdfRecord pcr = records.get(records.size() - 2);
        assertThat(pcr.name()).isEqualTo("PCR");
        assertThat(pcr.number("HEAD_NUM")).isEqualTo(255);
        assertThat(pcr.number("SITE_NUM")).isZero();
        assertThat(pcr.number("PART_CNT")).isEqualTo(4);
        assertThat(pcr.number("RTST_CNT")).isEqualTo(1);
        assertThat(pcr.number("ABRT_CNT")).isEqualTo(1);
        assertThat(pcr.number("GOOD_CNT")).isEqualTo(2);
        assertThat(pcr.number("FUNC_CNT")).isEqualTo(U4_MISSING);
        assertThat(named(records, "PRR").get(3).bits("PART_FLG")).isEqualTo(PRR_ABNORMAL_END);
        StdfRecord mrr = records.get(records.size() - 1);
        assertThat(mrr.name()).isEqualTo("MRR");
        assertThat(mrr.number("FINISH_T")).isEqualTo(FINISH.getEpochSecond());
        assertThat(mrr.character("DISP_COD")).isEqualTo(' ');
        assertThat(mrr.text("USR_DESC")).isEmpty();
        assertThat(mrr.text("EXC_DESC")).isEmpty();
    }

    @Test
    void longNonAsciiStringIsCutAt255BytesWithOneQuestionMarkPerCharacter() throws IOException {
        // given: an accented letter, a character outside the BMP (two chars in Java), then 300 x
        String partId = "é\uD83D\uDE00" + "x".repeat(300);
        Part part = new Part(partId, "Kopplungsverlust über 2 dB", false, false, false, 1, "PASS", 1, "", 0,
                List.of());

        // when
        StdfRecord prr = named(writeAndRead(List.of(part)), "PRR").get(0);

        // then
        assertThat(prr.text("PART_ID")).hasSize(255).isEqualTo("??" + "x".repeat(253));
        assertThat(prr.text("PART_TXT")).isEqualTo("Kopplungsverlust ?ber 2 dB");
    }

    @Test
    void resultsAndSumsAreRoundedToSinglePrecision() throws IOException {
        // given
        double[] values = {0.1, 1.0 / 3, 123_456.789_012};
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            parts.add(part("SN" + i, false, false, 1, 1, new Result(7, "t", "", values[i], 0.05, 1e6, "", false)));
        }

        // when
        List<StdfRecord> records = writeAndRead(parts);

        // then
        assertThat(named(records, "PTR")).extracting(ptr -> ptr.real("RESULT"))
                .containsExactly((float) 0.1, (float) (1.0 / 3), (float) 123_456.789_012);
        assertThat(named(records, "PTR").get(0).real("LO_LIMIT")).isEqualTo((float) 0.05);
        StdfRecord tsr = named(records, "TSR").get(0);
        double sum = 0.1 + 1.0 / 3 + 123_456.789_012;
        double squares = 0.1 * 0.1 + (1.0 / 3) * (1.0 / 3) + 123_456.789_012 * 123_456.789_012;
        assertThat(tsr.real("TST_SUMS")).isEqualTo((float) sum);
        assertThat(tsr.real("TST_SQRS")).isEqualTo((float) squares);
        assertThat(tsr.real("TEST_MIN")).isEqualTo((float) 0.1);
    }

    @Test
    void tenThousandPartsCountEveryByteWrittenAndLeaveTheStreamOpen() throws IOException {
        // given
        CountingStream counted = new CountingStream();
        StdfWriter writer = new StdfWriter(counted);

        // when
        writer.begin(LOT);
        for (int i = 0; i < 10_000; i++) {
            boolean failed = i % 10 == 0;
            writer.part(part("SN" + i, false, failed, failed ? 5 : 1, failed ? 50 : 1,
                    coupling(100, "ch1", failed ? 2.5 : 1.0, failed), coupling(101, "ch2", 1.2, false)));
        }
        writer.finish(FINISH);

        // then
        assertThat(writer.partCount()).isEqualTo(10_000);
        assertThat(writer.bytesWritten()).isEqualTo(counted.bytes).isPositive();
        assertThat(counted.closed).isFalse();
    }

    @Test
    void outputReadsBackWithoutLeftoverOrMissingBytes() throws IOException {
        // given
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            parts.add(part("SN" + i, i % 7 == 0, i % 3 == 0, 1 + i % 3, 10 + i % 5, coupling(100 + i % 4, "ch", i, false)));
        }

        // when
        byte[] bytes = write(parts);
        List<StdfRecord> records = StdfReader.read(new ByteArrayInputStream(bytes));

        // then: the reader rejects any record whose REC_LEN differs from what its fields took
        assertThat(named(records, "PRR")).hasSize(100);
        assertThat(named(records, "PTR")).hasSize(100);
    }

    @Test
    void binOutsideTheSpecsRangeIsRejectedNamingThePart() throws IOException {
        // given
        StdfWriter writer = new StdfWriter(new ByteArrayOutputStream());
        writer.begin(LOT);

        // then
        assertThatThrownBy(() -> writer.part(part("SN9", false, false, 32_768, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SN9").hasMessageContaining("32768");
        assertThatThrownBy(() -> writer.part(part("SN8", false, false, 1, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SN8");
        assertThat(writer.partCount()).isZero();
    }

    @Test
    void partBeforeBeginOrAfterFinishIsAnError() throws IOException {
        // given
        StdfWriter writer = new StdfWriter(new ByteArrayOutputStream());

        // then
        assertThatThrownBy(() -> writer.part(part("SN1", false, false, 1, 1)))
                .isInstanceOf(IllegalStateException.class);
        writer.begin(LOT);
        writer.finish(FINISH);
        assertThatThrownBy(() -> writer.part(part("SN1", false, false, 1, 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readerReadsABigEndianFileAndOmittedTrailingFields() throws IOException {
        // given: FAR CPU_TYPE 1, then a PCR that stops after PART_CNT
        byte[] bytes = {0, 2, 0, 10, 1, 4, 0, 6, 1, 30, (byte) 255, 0, 0, 0, 1, 2};

        // when
        List<StdfRecord> records = StdfReader.read(new ByteArrayInputStream(bytes));

        // then
        assertThat(records.get(1).fields()).containsOnlyKeys("HEAD_NUM", "SITE_NUM", "PART_CNT");
        assertThat(records.get(1).number("PART_CNT")).isEqualTo(258);
    }

    @Test
    void readerRejectsALengthThatDisagreesWithTheFieldsOrAStreamCutShort() {
        // given: a PIR declaring 3 bytes, a PRR cut inside HARD_BIN by its REC_LEN, a stream ending inside MRR
        byte[] leftover = {2, 0, 0, 10, 2, 4, 3, 0, 5, 10, 1, 1, 0};
        byte[] fieldCut = {2, 0, 0, 10, 2, 4, 6, 0, 5, 20, 1, 1, 0, 1, 0, 1};
        byte[] streamCut = {2, 0, 0, 10, 2, 4, 7, 0, 1, 20, 0, 0};

        // then
        assertThatThrownBy(() -> StdfReader.read(new ByteArrayInputStream(leftover)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("record 1").hasMessageContaining("SITE_NUM");
        assertThatThrownBy(() -> StdfReader.read(new ByteArrayInputStream(fieldCut)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("record 1").hasMessageContaining("HARD_BIN");
        assertThatThrownBy(() -> StdfReader.read(new ByteArrayInputStream(streamCut)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("record 1").hasMessageContaining("FINISH_T");
    }

    private static Result coupling(long testNumber, String channel, double valueDb, boolean failed) {
        return new Result(testNumber, "coupling_loss", "PRE_CURE " + channel, valueDb, 0.5, 2.0, "dB", failed);
    }

    private static Part part(String id, boolean retest, boolean failed, int hardBin, int softBin, Result... results) {
        return new Part(id, "unit " + id, retest, failed, false, hardBin, failed ? "FAIL" : "PASS", softBin,
                "soft " + softBin, 1_500, List.of(results));
    }

    private static byte[] write(List<Part> parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdfWriter writer = new StdfWriter(out);
        writer.begin(LOT);
        for (Part part : parts) {
            writer.part(part);
        }
        writer.finish(FINISH);
        assertThat(writer.bytesWritten()).isEqualTo(out.size());
        return out.toByteArray();
    }

    private static List<StdfRecord> writeAndRead(List<Part> parts) throws IOException {
        return StdfReader.read(new ByteArrayInputStream(write(parts)));
    }

    private static List<StdfRecord> named(List<StdfRecord> records, String name) {
        return records.stream().filter(record -> record.name().equals(name)).toList();
    }

    private static final class CountingStream extends OutputStream {
        long bytes;
        boolean closed;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
