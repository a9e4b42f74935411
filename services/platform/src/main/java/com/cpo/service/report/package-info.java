/** Excel workbooks written with Apache POI's streaming API, so memory does not grow with the row count. */
package com.cpo.service.report;
