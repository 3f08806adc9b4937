#!/usr/bin/python3
"""GStreamer rtspsrc with its default settings joins an RTSP stream and decodes it.

Usage: rtspsrc_join.py URL FRAMES TIMEOUT_SECONDS
Prints one JSON line: frames decoded, and the jitter buffers' counts (num-lost: packets the
receiver found missing; num-pushed: packets it passed on).
"""
import json
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

url, wanted, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
Gst.init(None)
pipeline = Gst.parse_launch(f"rtspsrc name=src location={url} ! decodebin ! fakesink name=sink signal-handoffs=true sync=false")
jitterbuffers = []
frames = 0
loop = GLib.MainLoop()
result = {"frames": 0, "lost": 0, "pushed": 0, "late": 0, "error": None}


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
pipeline.set_state(Gst.State.NULL)
print(json.dumps(result), flush=True)
