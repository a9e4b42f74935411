/** Thin JAX-RS resources over {@code service}; every error is answered as RFC 9457 problem+json. */
package com.cpo.platform.rest;
