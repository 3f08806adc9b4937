#!/usr/bin/python3
"""A camera for tests: GStreamer's RTSP server (GstRtspServer) serving one mount of one solid
colour as H.264. Prints "ready PORT" once it listens, then "client-connected" and
"client-closed" as RTSP clients come and go, so a test can count the camera's connections.

usage: gst_rtsp_camera.py --port N --mount /cam --colour RRGGBB
                          [--user U --password P --auth digest|basic] [--tcp-only] [--fps N]
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def say(line):
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mount", default="/cam")
    parser.add_argument("--colour", default="ff0000")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--auth", choices=["digest", "basic"], default="digest")
    parser.add_argument("--tcp-only", action="store_true")
    parser.add_argument("--fps", type=int, default=25)
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    # key-int-max=25: a keyframe every second, so a client that joins decodes soon.
    # config-interval=-1: SPS/PPS in band before every keyframe, as most cameras send them.
    factory.set_launch(
        "( videotestsrc is-live=true pattern=solid-color foreground-color=0xff%s "
        "! video/x-raw,width=320,height=240,framerate=%d/1 "
        "! x264enc tune=zerolatency key-int-max=25 speed-preset=ultrafast bframes=0 "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )" % (args.colour, args.fps))
    # One pipeline for every client, as a camera has one encoder.
    factory.set_shared(True)
    if args.tcp_only:
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
    else:
        factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP | GstRtsp.RTSPLowerTrans.TCP)

    if args.user is not None:
        auth = GstRtspServer.RTSPAuth()
        # The token's role is what the factory grants access to.
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "camera-user")
        if args.auth == "digest":
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(args.user, args.password or "", token)
        else:
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ""), token)
        server.set_auth(auth)
        factory.add_role_from_structure(Gst.Structure.from_string(
            "camera-user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])

    server.get_mount_points().add_factory(args.mount, factory)

    def on_client_connected(_server, client):
        say("client-connected")
        client.connect("closed", lambda _client: say("client-closed"))

    server.connect("client-connected", on_client_connected)
    if server.attach(None) == 0:
        print("could not listen on port %d" % args.port, file=sys.stderr, flush=True)
        sys.exit(2)
    say("ready %d" % server.get_bound_port())
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
