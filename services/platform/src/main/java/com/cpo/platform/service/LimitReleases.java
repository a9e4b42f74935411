package com.cpo.platform.service;

import com.cpo.events.LimitSet;

/** Where a released limit set is published for the judge; implemented by the messaging layer. */
public interface LimitReleases {

    /** Publishes and waits for the broker's acknowledgement; throws when it does not come. */
    void publish(LimitSet limitSet);
}
