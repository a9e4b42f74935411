/** The platform as containers (Testcontainers, the images of docker/images/build) under real faults, checked by the ledger. */
package com.cpo.systemtest.containers;
