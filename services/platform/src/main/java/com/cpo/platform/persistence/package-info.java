/**
 * Entities and SQL over the Flyway schema ({@code db/migration}). Hibernate never creates or alters
 * tables; the migrations are the schema.
 */
package com.cpo.platform.persistence;
