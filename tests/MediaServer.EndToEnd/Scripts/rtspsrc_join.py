#!/usr/bin/python3
"""GStreamer rtspsrc with its default settings joins an RTSP stream and decodes it.

Usage: rtspsrc_join.py URL FRAMES TIMEOUT_SECONDS
Prints one JSON line: frames decoded, the jitter buffers' counts (num-lost: packets the
receiver found missing; num-pushed: packets it passed on), and the timeline lag: how far behind
live the first RTP stream's timestamps put a player that presents the first packet as it arrives
and the rest by timestamp (median over packets that arrived 2.5 s or more after the first; the
jitter buffer's own latency comes on top).
"""
import json
import statistics
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

url, wanted, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
Gst.init(None)
pipeline = Gst.parse_launch(f"rtspsrc name=src location={url} ! decodebin ! fakesink name=sink signal-handoffs=true sync=false")
jitterbuffers = []
frames = 0
loop = GLib.MainLoop()
result = {"frames": 0, "lost": 0, "pushed": 0, "late": 0, "lag": None, "error": None}
arrivals = []  # (arrival seconds, RTP timestamp) of the first SSRC's packets
probed = set()


def on_rtp(_pad, info):
    data = info.get_buffer().extract_dup(0, 12)
    if len(data) < 12 or data[0] >> 6 != 2 or 72 <= (data[1] & 0x7F) <= 76:
        return Gst.PadProbeReturn.OK
    ssrc = int.from_bytes(data[8:12], "big")
    if not arrivals or arrivals[0][2] == ssrc:
        arrivals.append((time.monotonic(), int.from_bytes(data[4:8], "big"), ssrc))
    return Gst.PadProbeReturn.OK


def on_element_added(_bin, element):
    if element.get_factory() is not None and element.get_factory().get_name() == "udpsrc" and element not in probed:
        probed.add(element)
        element.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, on_rtp)


def timeline_lag():
    if not arrivals:
        return None
    first_arrival, first_ts, _ = arrivals[0]
    max_late, lags, unwrapped, last = 0.0, [], 0, first_ts
    for arrival, ts, _ in arrivals:
        unwrapped += ((ts - last + 2**31) % 2**32) - 2**31
        last = ts
        due = first_arrival + unwrapped / 90000.0
        max_late = max(max_late, arrival - due)
        if arrival - first_arrival >= 2.5:
            lags.append(due + max_late - arrival)
    return statistics.median(lags) if lags else None


def on_manager(_src, manager):
    manager.connect("new-jitterbuffer", lambda _m, jb, _session, _ssrc: jitterbuffers.append(jb))


def on_handoff(_sink, _buffer, _pad):
    global frames
    frames += 1
    if frames >= wanted:
        GLib.idle_add(loop.quit)


def on_message(_bus, message):
    if message.type == Gst.MessageType.ERROR:
        result["error"] = str(message.parse_error()[0])
        loop.quit()
    elif message.type == Gst.MessageType.EOS:
        loop.quit()


pipeline.get_by_name("src").connect("new-manager", on_manager)
pipeline.get_by_name("src").connect("element-added", on_element_added)
pipeline.get_by_name("sink").connect("handoff", on_handoff)
bus = pipeline.get_bus()
bus.add_signal_watch()
bus.connect("message", on_message)
GLib.timeout_add(int(timeout * 1000), loop.quit)
pipeline.set_state(Gst.State.PLAYING)
loop.run()
for jb in jitterbuffers:
    stats = jb.get_property("stats")
    result["lost"] += stats.get_value("num-lost")
    result["pushed"] += stats.get_value("num-pushed")
    result["late"] += stats.get_value("num-late")
result["frames"] = frames
result["lag"] = timeline_lag()
pipeline.set_state(Gst.State.NULL)
print(json.dumps(result), flush=True)
