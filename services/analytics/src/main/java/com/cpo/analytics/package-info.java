/**
 * The analytics application: its start and stop (AnalyticsApp) and the topology that wires the concerns of the sub-packages together (AnalyticsTopology).
 */
package com.cpo.analytics;
