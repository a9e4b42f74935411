/** Statistical process control of coupling loss: frozen baselines, X̄ charts on hourly subgroups, the Western Electric rules. */
package com.cpo.domain.spc;
