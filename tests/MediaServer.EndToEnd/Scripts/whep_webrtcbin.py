#!/usr/bin/python3
"""A WHEP viewer built on GStreamer's webrtcbin, for end-to-end tests.

Offers recvonly transceivers (H264 video, optionally Opus audio) under the given bundle policy,
POSTs the offer, applies the answer, decodes whatever arrives and prints one JSON summary line.
It stops after --duration seconds, or as soon as --until-video frames and --until-audio buffers
were decoded. Exit codes: 0 ran, 2 the server refused the offer, 3 webrtcbin refused the answer,
4 a GStreamer error, 6 no answer arrived in time.
"""

import argparse
import ctypes
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

POLICIES = {
    "none": GstWebRTC.WebRTCBundlePolicy.NONE,
    "balanced": GstWebRTC.WebRTCBundlePolicy.BALANCED,
    "max-compat": GstWebRTC.WebRTCBundlePolicy.MAX_COMPAT,
    "max-bundle": GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE,
}

CAPS = {
    "video": "application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=102,"
             "packetization-mode=(string)1,profile-level-id=(string)42e01f",
    "audio": "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111,"
             "encoding-params=(string)2",
}


class Viewer:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.summary = {
            "policy": args.bundle_policy,
            "media": args.media,
            "status": None,
            "answerAccepted": False,
            "error": None,
            "iceState": None,
            "connectionState": None,
            "videoFrames": 0,
            "audioBuffers": 0,
            "offer": None,
            "answer": None,
        }
        self.exit_code = 0
        self.location = None
        self.lock = threading.Lock()
        self.pipeline = Gst.Pipeline.new("viewer")
        self.webrtc = Gst.ElementFactory.make("webrtcbin", "webrtc")
        self.webrtc.set_property("bundle-policy", POLICIES[args.bundle_policy])
        self.webrtc.set_property("latency", 100)
        self.pipeline.add(self.webrtc)
        # libnice gathers no loopback candidate by itself; the server is on 127.0.0.1.
        agent = self.webrtc.get_property("ice-agent")
        # webrtcbin 1.22 hands the agent out without a reference of its own, so the wrapper's
        # unref would free webrtcbin's agent: take the reference the getter should have given.
        ctypes.CDLL("libgobject-2.0.so.0").g_object_ref(ctypes.c_void_p(hash(agent)))
        agent.emit("add-local-ip-address", "127.0.0.1")
        for kind in args.media.split("+"):
            self.webrtc.emit(
                "add-transceiver",
                GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY,
                Gst.Caps.from_string(CAPS[kind]))
        self.webrtc.connect("pad-added", self.on_pad_added)
        self.webrtc.connect("notify::ice-connection-state", self.on_state)
        self.webrtc.connect("notify::connection-state", self.on_state)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_error)

    def run(self):
        self.pipeline.set_state(Gst.State.PLAYING)
        promise = Gst.Promise.new_with_change_func(self.on_offer_created, None)
        self.webrtc.emit("create-offer", None, promise)
        GLib.timeout_add(int(self.args.duration * 1000), self.on_timeout)
        GLib.timeout_add(50, self.check_done)
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        self.delete()
        if not self.args.print_sdp:
            self.summary["offer"] = None
            self.summary["answer"] = None
        print(json.dumps(self.summary), flush=True)
        return self.exit_code

    def delete(self):
        """Ends the WHEP session, as a polite client does."""
        if self.location is None:
            return
        url = urllib.parse.urljoin(self.args.url, self.location)
        try:
            urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=5).close()
        except Exception:  # noqa: BLE001 - the summary matters more than the goodbye
            pass

    def fail(self, code, error):
        if self.exit_code == 0:
            self.exit_code = code
            self.summary["error"] = error
        self.loop.quit()

    def on_offer_created(self, promise, _):
        reply = promise.get_reply()
        offer = reply.get_value("offer")
        done = Gst.Promise.new()
        self.webrtc.emit("set-local-description", offer, done)
        done.interrupt()
        # webrtcbin adds candidates as they are gathered; WHEP wants one offer with them all (or
        # what there is after a second: the loopback host candidate comes first).
        self.gathering_polls = 0
        GLib.timeout_add(50, self.wait_for_gathering)

    def wait_for_gathering(self):
        self.gathering_polls += 1
        complete = self.webrtc.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE
        if not complete and self.gathering_polls < 20:
            return True
        offer_sdp = self.webrtc.get_property("local-description").sdp.as_text()
        self.summary["offer"] = offer_sdp
        threading.Thread(target=self.post, args=(offer_sdp,), daemon=True).start()
        return False

    def post(self, offer_sdp):
        request = urllib.request.Request(
            self.args.url, data=offer_sdp.encode(), method="POST",
            headers={"Content-Type": "application/sdp", "Accept": "application/sdp"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                self.summary["status"] = response.status
                self.location = response.headers.get("Location")
                answer = response.read().decode()
        except urllib.error.HTTPError as e:
            self.summary["status"] = e.code
            body = e.read().decode(errors="replace").strip()
            GLib.idle_add(self.fail, 2, f"the server refused the offer: {e.code} {body}")
            return
        except Exception as e:  # noqa: BLE001 - any transport failure ends the run with its reason
            GLib.idle_add(self.fail, 2, f"the offer could not be posted: {e}")
            return
        self.summary["answer"] = answer
        GLib.idle_add(self.apply_answer, answer)

    def apply_answer(self, answer):
        ok, sdp = GstSdp.SDPMessage.new_from_text(answer)
        if ok != GstSdp.SDPResult.OK:
            self.fail(3, "the answer is not parseable SDP")
            return False
        description = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, sdp)
        promise = Gst.Promise.new_with_change_func(self.on_answer_applied, None)
        self.webrtc.emit("set-remote-description", description, promise)
        return False

    def on_answer_applied(self, promise, _):
        promise.wait()
        reply = promise.get_reply()
        error = reply.get_value("error") if reply is not None and reply.has_field("error") else None
        if error is not None:
            GLib.idle_add(self.fail, 3, f"webrtcbin refused the answer: {error.message}")
            return
        self.summary["answerAccepted"] = True

    def on_state(self, element, _spec):
        self.summary["iceState"] = element.get_property("ice-connection-state").value_nick
        self.summary["connectionState"] = element.get_property("connection-state").value_nick

    def on_pad_added(self, _element, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        media = caps.get_structure(0).get_string("media") or "video"
        decode = Gst.ElementFactory.make("decodebin")
        decode.connect("pad-added", self.on_decoded_pad, media)
        self.pipeline.add(decode)
        decode.sync_state_with_parent()
        pad.link(decode.get_static_pad("sink"))

    def on_decoded_pad(self, _decode, pad, media):
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        sink.set_property("async", False)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))
        key = "videoFrames" if media == "video" else "audioBuffers"
        pad.add_probe(Gst.PadProbeType.BUFFER, self.count, key)

    def count(self, _pad, _info, key):
        with self.lock:
            self.summary[key] += 1
        return Gst.PadProbeReturn.OK

    def on_error(self, _bus, message):
        error, debug = message.parse_error()
        self.fail(4, f"GStreamer error from {message.src.get_name()}: {error.message} ({debug})")

    def check_done(self):
        with self.lock:
            done = (self.summary["videoFrames"] >= self.args.until_video
                    and self.summary["audioBuffers"] >= self.args.until_audio)
        if done and self.summary["answerAccepted"]:
            self.loop.quit()
            return False
        return True

    def on_timeout(self):
        if self.summary["status"] is None:
            self.fail(6, "no answer within the duration")
        self.loop.quit()
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--bundle-policy", choices=sorted(POLICIES), default="max-bundle")
    parser.add_argument("--media", choices=["video", "video+audio"], default="video")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds to run at most")
    parser.add_argument("--until-video", type=int, default=1 << 30, help="stop once this many video frames decoded")
    parser.add_argument("--until-audio", type=int, default=1 << 30, help="stop once this many audio buffers decoded")
    parser.add_argument("--print-sdp", action="store_true", help="add the offer and the answer to the summary")
    args = parser.parse_args()
    Gst.init(None)
    if Gst.ElementFactory.find("webrtcbin") is None:
        print(json.dumps({"error": "webrtcbin is not installed"}), flush=True)
        return 4
    return Viewer(args).run()


if __name__ == "__main__":
    sys.exit(main())
