/**
 * The platform service: owns the test limits (versioned, audited, published to Kafka), consumes verdicts and
 * station events from Kafka into PostgreSQL, and serves them over a REST API and as Excel yield reports.
 * Sub-packages by role: {@code messaging} (Kafka in and out), {@code service} (transactions and rules),
 * {@code persistence} (entities and SQL), {@code rest} (thin resources), {@code report} (workbooks, plain Java).
 */
package com.cpo.platform;
