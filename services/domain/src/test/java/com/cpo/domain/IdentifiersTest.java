package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void serialsOfTheLineAreAccepted() {
        assertThat(Identifiers.problem("serial", "OE16-AA-01-000001")).isNull();
        assertThat(Identifiers.problem("serial", "a.b_c-1")).isNull();
        assertThat(Identifiers.problem("serial", "x".repeat(Identifiers.MAX_LENGTH))).isNull();
    }

    @Test
    void pathCharactersAreRefusedNamingTheField() {
        assertThat(Identifiers.problem("serial", "../x")).contains("serial '../x'").contains("letters, digits");
        assertThat(Identifiers.problem("serial", "a/b")).isNotNull();
        assertThat(Identifiers.problem("serial", "a\\b")).isNotNull();
        assertThat(Identifiers.problem("serial", "..")).isNotNull();
        assertThat(Identifiers.problem("serial", ".hidden")).isNotNull();
    }

    @Test
    void tooLongMissingAndControlCharactersAreRefused() {
        assertThat(Identifiers.problem("serial", "x".repeat(10_000))).isEqualTo("serial is 10000 characters long; at most 64 are allowed");
        assertThat(Identifiers.problem("lot", "")).isEqualTo("lot is missing");
        assertThat(Identifiers.problem("lot", null)).isEqualTo("lot is missing");
        assertThat(Identifiers.problem("serial", "ab\u0000c")).contains("ab\\u0000c");
        assertThat(Identifiers.problem("serial", "ab\ufffdc")).contains("\\ufffd");
    }

    @Test
    void requireThrowsWithTheProblem() {
        assertThatThrownBy(() -> Identifiers.require("serial", "a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serial 'a/b'");
        assertThat(Identifiers.require("serial", "SN1")).isEqualTo("SN1");
    }

    @Test
    void channelCountsAndChannelsHaveBounds() {
        assertThat(Channels.countProblem(16)).isNull();
        assertThat(Channels.countProblem(-3)).isEqualTo("channel count -3 is outside 1..64");
        assertThat(Channels.countProblem(0)).isNotNull();
        assertThat(Channels.channelProblem(17, 16)).isEqualTo("channel 17 is outside 1..16");
        assertThat(Channels.channelProblem(1, 16)).isNull();
    }
}
