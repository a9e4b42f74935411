/**
 * Excel workbooks written with Apache POI: the yield report (streamed with SXSSF, so memory does not grow with
 * the row count) and the one-sheet limit form. Plain Java on POI and the domain, callable outside Quarkus.
 */
package com.cpo.platform.report;
