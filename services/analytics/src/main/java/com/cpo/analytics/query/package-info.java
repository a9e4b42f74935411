/**
 * Interactive queries, health, readiness and Prometheus metrics over HTTP.
 */
package com.cpo.analytics.query;
