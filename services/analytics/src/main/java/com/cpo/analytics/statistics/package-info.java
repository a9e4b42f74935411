/**
 * Coupling-loss statistics: values buffered per scope and sent once a second, aggregated all time, per lot (key-value store) and per station-hour (window store with a retention).
 */
package com.cpo.analytics.statistics;
