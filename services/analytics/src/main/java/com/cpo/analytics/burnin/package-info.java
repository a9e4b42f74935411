/**
 * The burn-in watch: channel trackers of units in the rack, the alarms the domain's rule calls for, and where each unit stands (status).
 */
package com.cpo.analytics.burnin;
