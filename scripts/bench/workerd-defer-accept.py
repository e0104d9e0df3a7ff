#!/usr/bin/env python3
# Starts workerd with its entry socket listening under TCP_DEFER_ACCEPT, for the load bench (load-bench.mjs).
#
# Miniflare runs this in place of workerd (MINIFLARE_WORKERD_PATH); the real binary is $EDGECHAT_REAL_WORKERD.
# `--socket-addr=entry=<host>:<port>` becomes `--socket-fd=entry=<fd>`: a socket bound here, with
# TCP_DEFER_ACCEPT, so that the kernel hands workerd a connection only once its request has arrived. Why: kj,
# under workerd, reads a connection right after accepting it; when the request is not there yet it waits for
# the socket to become readable, which workerd's single thread only checks when it has no JavaScript left to
# run. With hundreds of chat turns queued on a loaded machine that took more than 15 s, and kj's header
# timeout then closed the connection with its request unread (docs/edge-latency.md, "Load"). Every other
# argument goes to workerd unchanged; Node cannot set this socket option, hence Python.
import os
import socket
import sys

real = os.environ["EDGECHAT_REAL_WORKERD"]
args = []
for arg in sys.argv[1:]:
    prefix = "--socket-addr=entry="
    if arg.startswith(prefix):
        host, port = arg[len(prefix):].rsplit(":", 1)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Seconds the kernel keeps a connection without data before handing it over anyway.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 60)
        listener.bind((host, int(port)))
        listener.listen(4096)
        listener.set_inheritable(True)
        args.append(f"--socket-fd=entry={listener.fileno()}")
    else:
        args.append(arg)
os.execv(real, [real] + args)
