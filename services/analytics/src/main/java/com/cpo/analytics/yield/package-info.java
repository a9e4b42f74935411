/**
 * Yield: each unit's history per operation (the unit table), the groups a unit belongs to and what it adds to each, the deltas buffered once a second, and the aggregation to yield per group and RTY per lot.
 */
package com.cpo.analytics.yield;
