/**
 * The live dashboard: a per-instance feed of the analytics topics (yield, RTY, coupling-loss statistics,
 * verdicts, burn-in alarms) kept as the latest figures per key, and pushed to browsers as Server-Sent Events
 * — a snapshot on every connect, then each change.
 */
package com.cpo.platform.live;
