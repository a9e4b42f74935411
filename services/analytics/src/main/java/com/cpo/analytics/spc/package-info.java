/**
 * Statistical process control of coupling loss: X̄ charts on hourly subgroups per product × station × channel, held to
 * the frozen baselines of {@code cpo.spc-baselines.v1}, with the domain's Western Electric rules evaluated as each hour
 * closes ({@link com.cpo.analytics.spc.SpcProcessor}).
 */
package com.cpo.analytics.spc;
