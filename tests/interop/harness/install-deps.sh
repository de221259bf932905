#!/usr/bin/env bash
# Debian 12 packages for the interop tests (idempotent; needs root).
#   strongswan-charon, strongswan-swanctl   charon + swanctl (the independent IKEv2 peer)
#   libstrongswan-standard-plugins          openssl (MODP, ECP, AES, SHA2; MD4/DES via legacy provider), gcm
#   libstrongswan-extra-plugins             curve25519, chapoly
#   libcharon-extra-plugins                 kernel-libipsec (userspace ESP over TUN), eap-identity, eap-tls
#   libcharon-extauth-plugins               eap-mschapv2
#   iproute2 iputils-ping nftables iperf3   namespaces, traffic, NAT rules, throughput
#   netcat-openbsd                          TCP transfer through the tunnel (sink hashes what it got)
#   curl                                    registering endpoints with pgate ems (posture tests)
#   systemd dpkg                            systemd-analyze verify and dpkg-deb (the Debian package test)
#   postgresql                              initdb/pg_ctl: the EMS store tests start their own throwaway cluster
#   openssl python3                         `pgate cert` tests: openssl verify/x509 on the certificates, plistlib on the profile;
#                                           python3 also runs the IKE_SA_INIT flooder and the loss relay (ike-flood.py, udp-impair.py)
#   tshark                                  dumpcap captures and Wireshark's dissectors decrypt with pgate's key tables
#   prometheus                              a real Prometheus scrapes pgate gateway and pgate ems (PrometheusScrapeInteropTests)
#   chromium                                the web console's browser tests (Playwright drives it; no browser download)
#   faketime                                libfaketime: `pgate ems` under a stepped wall clock (EmsClockJumpInteropTests)
set -euo pipefail
pkgs=(strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libstrongswan-extra-plugins
      libcharon-extra-plugins libcharon-extauth-plugins iproute2 iputils-ping nftables iperf3 procps netcat-openbsd curl
      systemd dpkg postgresql openssl python3 tshark prometheus chromium faketime)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    apt-get update -qq
    # Keep the packaged services from starting: the tests run their own charon and PostgreSQL instances.
    had_policy=0; [[ -e /usr/sbin/policy-rc.d ]] && had_policy=1
    if ((!had_policy)); then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    rc=$?
    ((had_policy)) || rm -f /usr/sbin/policy-rc.d
    exit $rc
fi
