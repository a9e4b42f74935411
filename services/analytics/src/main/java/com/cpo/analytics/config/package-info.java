/**
 * The analytics application's configuration: every key with its default, the plant calendar included.
 */
package com.cpo.analytics.config;
