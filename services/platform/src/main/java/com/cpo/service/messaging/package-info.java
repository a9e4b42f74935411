/** Kafka consumption: verdicts in, undecodable records to the dead-letter topic. */
package com.cpo.service.messaging;
