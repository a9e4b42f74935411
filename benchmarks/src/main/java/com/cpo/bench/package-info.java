/**
 * The benchmarks of ./benchmarks/run, each measured against a baseline in the same run.
 */
package com.cpo.bench;
