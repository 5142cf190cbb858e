#!/bin/bash
# Runs a command inside the sandbox hardening/appliance.service asks systemd for, rebuilt from util-linux tools
# (unshare, mount, setpriv) for machines where systemd is not PID 1: containers and CI. The test
# Tests/HardeningTests/UnitSandboxTests.swift runs the real appliance under it. README.md says which unit settings
# it reproduces and which it does not.
#
#   run-sandboxed.sh --uid UID --gid GID [--writable DIR]... [--read-only DIR]... -- COMMAND [ARG]...
#
# Needs root (it builds the namespaces, then drops to UID:GID with no capabilities).
set -euo pipefail

usage() {
    echo "usage: $0 --uid UID --gid GID [--writable DIR]... [--read-only DIR]... -- COMMAND [ARG]..." >&2
    exit 2
}

uid="" gid="" writable=() readonly_dirs=() inside=0
while [ $# -gt 0 ]; do
    case "$1" in
        --uid) uid="$2"; shift 2 ;;
        --gid) gid="$2"; shift 2 ;;
        --writable) writable+=("$2"); shift 2 ;;
        --read-only) readonly_dirs+=("$2"); shift 2 ;;
        --inside) inside=1; shift ;;
        --) shift; break ;;
        *) usage ;;
    esac
done
[ -n "$uid" ] && [ -n "$gid" ] && [ $# -gt 0 ] || usage
[ "$(id -u)" = 0 ] || { echo "error: $0 needs root to build the namespaces" >&2; exit 1; }

if [ "$inside" = 0 ]; then
    # PrivateNetwork=yes, PrivateIPC=yes, ProtectHostname=yes, PrivateMounts=yes: new namespaces; no fork, so
    # the command keeps this process's pid.
    args=(--uid "$uid" --gid "$gid")
    for d in "${writable[@]}"; do args+=(--writable "$d"); done
    for d in "${readonly_dirs[@]}"; do args+=(--read-only "$d"); done
    exec unshare --mount --net --ipc --uts --propagation private -- "$0" --inside "${args[@]}" -- "$@"
fi

# PrivateTmp=yes: fresh /tmp and /var/tmp (a staging area for /dev is made in it first).
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp

# PrivateDevices=yes: a /dev with only null, zero, full, random, urandom (and no device access beyond them).
mkdir /tmp/.dev
mount -t tmpfs -o mode=0755,nosuid,noexec tmpfs /tmp/.dev
for node in null zero full random urandom; do
    touch "/tmp/.dev/$node"
    mount --bind "/dev/$node" "/tmp/.dev/$node"
done
mkdir /tmp/.dev/shm /tmp/.dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev,noexec tmpfs /tmp/.dev/shm
mount --move /tmp/.dev /dev
rmdir /tmp/.dev 2>/dev/null || true

# ProtectHome=yes: /home, /root and /run/user empty and read-only.
for home in /home /root /run/user; do
    [ -d "$home" ] && mount -t tmpfs -o ro,mode=0755 tmpfs "$home"
done

# ProtectSystem=strict (with ProtectKernelTunables=, ProtectControlGroups=): every mount read-only, /sys included,
# except /dev, /tmp, /var/tmp and /proc (replaced below). `remount,bind` changes this namespace's mount only.
findmnt -rn -o TARGET | awk '!seen[$0]++' | while read -r target; do
    target=$(printf '%b' "$target")
    case "$target" in
        /dev|/dev/*|/tmp|/var/tmp|/proc) continue ;;
    esac
    mount -o remount,bind,ro "$target" 2>/dev/null || true
done

# ProtectProc=invisible, ProcSubset=pid: a /proc of its own that shows only processes of its user and no
# kernel files (/proc/sys, /proc/meminfo, …); the host's /proc, where the tests look, is unchanged.
mount -t proc -o nosuid,nodev,noexec,hidepid=invisible,subset=pid proc /proc

# StateDirectory=, RuntimeDirectory=: writable again; LoadCredential=: read-only.
for d in "${writable[@]}"; do mount --bind "$d" "$d"; mount -o remount,bind,rw "$d"; done
for d in "${readonly_dirs[@]}"; do mount --bind "$d" "$d"; mount -o remount,bind,ro "$d"; done

# LimitCORE=0, LimitMEMLOCK=8M, UMask=0077.
ulimit -c 0
ulimit -l 8192
umask 0077

# User=, Group=, NoNewPrivileges=yes, CapabilityBoundingSet= (empty), AmbientCapabilities= (empty),
# SecureBits=noroot-locked.
exec setpriv --reuid "$uid" --regid "$gid" --clear-groups --no-new-privs --bounding-set -all --inh-caps -all \
    --ambient-caps -all --securebits +noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked -- "$@"
