# Shared by the bench scripts (sourced, not run): the dial-up phase1 the scale benches give
# `pgate gateway`, and strongSwan's charon started as a gateway in a network namespace with its own
# strongswan.conf (no system config read), its /run bind-mounted to a work directory (its pid file
# is compiled in), kernel-libipsec (userspace ESP: the kernel's XFRM is not touched), logging off
# (PG_BENCH_SWLOG=N turns it on) and its DoS thresholds out of the way of a benchmark.

# bench_dialup INTERFACE DHGRP: the `dialup` phase1 (EAP-MSCHAPv2 for the bench user, PSK
# "bench-psk", a pool of 4 million addresses) and bench-eap-users.conf (user, group, phase2).
bench_dialup() {
  cat <<CONF
config vpn ipsec phase1-interface
    edit "dialup"
        set type dynamic
        set interface "$1"
        set ike-version 2
        set mode-cfg enable
        set proposal aes128gcm-prfsha256
        set dhgrp $2
        set eap enable
        set eap-identity send-request
        set authusrgrp "bench-users"
        set ipv4-start-ip 10.64.0.1
        set ipv4-end-ip 10.127.255.254
        set psksecret "bench-psk"
    next
end
CONF
  cat "$(dirname "${BASH_SOURCE[0]}")/bench-eap-users.conf"
}

# charon_gateway NAMESPACE DIR PLUGINS [EXTRA_STRONGSWAN_CONF_LINES]: DIR holds swanctl/swanctl.conf
# (and its credentials); starts charon in NAMESPACE, loads the configuration, sets $sw (charon's
# pid) and $sw_launcher (the process to wait for after killing $sw).
charon_gateway() {
  local ns=$1 dir=$2 plugins=$3 extra=${4:-}
  mkdir -p "$dir/run"
  cat > "$dir/strongswan.conf" <<CONF
charon {
    load_modular = no
    load = $plugins
    block_threshold = 100000
    cookie_threshold = 100000
    cookie_threshold_ip = 100000
$extra
    filelog { bench { path = $dir/charon.log
                      default = ${PG_BENCH_SWLOG:--1} } }
    syslog { daemon { default = -1 }
             auth { default = -1 } }
    plugins {
        vici { socket = unix://$dir/charon.vici }
        openssl { load_legacy = yes }
    }
}
CONF
  ip netns exec "$ns" sh -c 'mount --bind "$1" /run && exec env STRONGSWAN_CONF="$2" "$3"' sh "$dir/run" "$dir/strongswan.conf" "$CHARON" > "$dir/charon.out" 2>&1 &
  sw_launcher=$!
  for _ in $(seq 100); do [[ -S $dir/charon.vici ]] && break; sleep 0.2; done
  sw=$(cat "$dir/run/charon.pid")
  printf 'swanctl {\n    load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey\n}\n' > "$dir/swanctl-tool.conf"
  STRONGSWAN_CONF="$dir/swanctl-tool.conf" swanctl --load-all --noprompt --file "$dir/swanctl/swanctl.conf" --uri "unix://$dir/charon.vici" > "$dir/load.out" 2>&1 \
    || { cat "$dir/load.out" >&2; return 1; }
}
