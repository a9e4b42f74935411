/**
 * The station agent: takes what the tester writes (result files, burn-in logs) into a durable spool, publishes it to Kafka, and writes each verdict back for the operator.
 */
package com.cpo.agent;
