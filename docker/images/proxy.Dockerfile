# One address for the service instances: Debian's HAProxy, health-checking each instance (/q/health/ready) and
# sending every request to one that is up. The configuration is mounted (docker/haproxy.cfg).
ARG BASE=cpo/base:bookworm
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/*
USER haproxy
EXPOSE 8080
ENTRYPOINT ["/usr/sbin/haproxy", "-W", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
