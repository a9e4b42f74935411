/**
 * The platform service: consumes verdicts from Kafka into PostgreSQL and serves them over a REST API and
 * as Excel yield reports. Sub-packages by role: {@code messaging} (Kafka in), {@code service}
 * (transactions and rules), {@code persistence} (entities and SQL), {@code rest} (thin resources),
 * {@code report} (workbooks).
 */
package com.cpo.service;
