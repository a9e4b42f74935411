/** Transactions and rules between the API, the consumer and the database; yield via {@code com.cpo.domain}. */
package com.cpo.platform.service;
