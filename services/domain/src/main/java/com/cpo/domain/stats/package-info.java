/**
 * Statistics of coupling loss: mergeable moments (shifted Welford, Chan merge), a fixed-bin histogram, a KLL sketch for streams (approximate percentiles), exact percentiles where every value is at hand, and process capability.
 */
package com.cpo.domain.stats;
