package com.cpo.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Topic names, under {@code cpo.topics.} like every other component's; the defaults are those of
 * {@link com.cpo.schemas.Topics}. The Kafka channel configuration refers to these keys, so renaming a
 * topic is one setting.
 */
@ConfigMapping(prefix = "cpo.topics")
public interface TopicsConfig {

    /** {@code cpo.topics.verdicts}: read by the {@code verdicts} channel. */
    @WithDefault("cpo.verdicts.v1")
    String verdicts();

    /**
     * {@code cpo.topics.dead-letter}: where verdict records that cannot be decoded or stored are sent as
     * received, with the reason in headers.
     */
    @WithDefault("cpo.dead-letter.v1")
    String deadLetter();
}
