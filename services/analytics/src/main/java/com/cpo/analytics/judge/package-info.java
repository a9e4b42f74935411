/**
 * The judge: assembles each run from its station events, judges it with the domain rules against the limit set in force, and hands what follows to yield, statistics and the burn-in watch; dead letters and corrections.
 */
package com.cpo.analytics.judge;
