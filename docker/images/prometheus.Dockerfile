# Prometheus from Debian's package; configuration and rules are mounted (docker/prometheus/).
ARG BASE=cpo/base:bookworm
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/* /usr/share/locale/* \
 # the web UI links moment-timezone's one data file; its 200 MB of others are for browsers Prometheus does not serve
 && find /usr/share/javascript/moment-timezone -type f ! -name 'moment-timezone-with-data*.min.js' -delete \
 && mkdir -p /prometheus && chown prometheus /prometheus
USER prometheus
EXPOSE 9090
VOLUME /prometheus
ENTRYPOINT ["/usr/bin/prometheus", "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.listen-address=0.0.0.0:9090"]
