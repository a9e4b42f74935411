package com.cpo.platform;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where alarms are delivered ({@code cpo.notify.*}): a webhook (a JSON POST) and e-mail (through {@code quarkus.mailer.*});
 * neither is configured by default, and then nothing is queued.
 */
@ConfigMapping(prefix = "cpo.notify")
public interface NotifyConfig {

    /** {@code cpo.notify.webhook-url}: an http(s) URL that takes a JSON POST per alarm. */
    Optional<String> webhookUrl();

    /** {@code cpo.notify.email-to}: comma-separated recipients of an e-mail per alarm. */
    Optional<List<String>> emailTo();

    /** {@code cpo.notify.kinds}: which alarms are delivered: BURNIN_ALARM, SPC_VIOLATION, YIELD_ALARM. */
    @WithDefault("BURNIN_ALARM,SPC_VIOLATION,YIELD_ALARM")
    List<String> kinds();

    /** {@code cpo.notify.every}: how often due notifications are sent. */
    @WithDefault("2s")
    Duration every();

    /** {@code cpo.notify.max-delay}: the longest wait between two attempts while a receiver is down (the delay doubles up to it). */
    @WithDefault("5m")
    Duration maxDelay();

    /** {@code cpo.notify.timeout}: how long one delivery may take. */
    @WithDefault("10s")
    Duration timeout();
}
