package com.cpo.platform.service;

import com.cpo.events.SpcBaseline;

/** Where a frozen SPC baseline goes for the analytics app; returns once it is durably there, throws otherwise. */
public interface SpcBaselineReleases {

    void publish(SpcBaseline baseline);
}
