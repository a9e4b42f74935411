# The Java runtime every JVM image starts from: Debian's OpenJDK 17 JRE (headless) on the Debian base.
# With a registry: docker build --build-arg BASE=debian:bookworm-slim ... (or use eclipse-temurin:17-jre as JRE below)
ARG BASE=cpo/base:bookworm
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/* \
 && useradd --system --uid 1001 --home-dir /nonexistent --shell /usr/sbin/nologin cpo
