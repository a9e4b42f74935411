/**
 * Kafka: verdicts and station events in, releases of other publishers mirrored from the limits topic, this
 * service's releases out; undecodable records to the dead-letter topic.
 */
package com.cpo.platform.messaging;
