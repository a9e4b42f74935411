/**
 * Simulated testers (active alignment, burn-in rack) with known truth, for demos, tests and benchmarks.
 */
package com.cpo.simulator;
