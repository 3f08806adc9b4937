#!/usr/bin/python3
"""Join figures: what real players lose and how far behind live they are when they join a busy stream.

Starts the server (a built MediaServer.dll) on loopback ports, publishes an 8 Mbit/s H.264 camera
with 4 s GOPs (ffmpeg, in real time), and each time the camera is 2 s into a GOP (about 2 MB
cached) joins one player with its default settings:
  ffmpeg   over UDP: packets its RTP demuxer reports missed, and the lag to live of a player that
           presents by timestamp (decoded frames' timestamps against the wall clock they were decoded at);
  rtspsrc  (GStreamer, via tests/MediaServer.EndToEnd/Scripts/rtspsrc_join.py): its jitter buffers'
           num-lost, and the timeline lag of the RTP it received (its 2 s jitter-buffer latency comes on top).
and prints the server's own log line for the join (its lag to live estimate).

usage: join_figures.py SERVER_DIR [extra server arguments, e.g. --Rtsp:JoinMode=gop]
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GST_SCRIPT = os.path.join(HERE, "..", "..", "tests", "MediaServer.EndToEnd", "Scripts", "rtspsrc_join.py")
CLIP = "/tmp/mediaserver-join-bench-8mbit.mp4"
TIMED = "showinfo,setpts=(RTCTIME-RTCSTART)/(TB*1000000),showinfo"


def free_port(kind=socket.SOCK_STREAM, even=False):
    while True:
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if not even or (port % 2 == 0 and port < 65534):
            return port


def make_clip():
    if not os.path.exists(CLIP):
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                        "-vf", "noise=alls=40:allf=t", "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M",
                        "-maxrate", "8M", "-bufsize", "4M", "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-bf", "0",
                        "-pix_fmt", "yuv420p", CLIP], check=True)


def camera_frames(log_path):
    with open(log_path, errors="replace") as f:
        found = re.findall(r"frame=\s*(\d+)", f.read())
    return int(found[-1]) if found else 0


def wait_mid_gop(log_path, deadline=60):
    end = time.time() + deadline
    while time.time() < end:
        n = camera_frames(log_path)
        if n > 100 and 48 <= n % 100 <= 52:
            return n
        time.sleep(0.05)
    raise SystemExit("the camera never got 2 s into a GOP")


def lags_to_live(frames, after=2.5):
    first_pts, first_wall = frames[0]
    max_late, lags = 0.0, []
    for pts, wall in frames:
        due = first_wall + pts - first_pts
        max_late = max(max_late, wall - due)
        if wall - first_wall >= after:
            lags.append(due + max_late - wall)
    return statistics.median(lags) if lags else float("nan")


def ffmpeg_join(url):
    out = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "info", "-rtsp_transport", "udp", "-i", url,
                          "-frames:v", "175", "-vf", TIMED, "-f", "null", "-"], capture_output=True, text=True, timeout=90).stderr
    missed = sum(int(m) for m in re.findall(r"RTP: missed (\d+) packets", out))
    pts, wall = {}, {}
    for inst, n, t in re.findall(r"\[Parsed_showinfo_(\d) @ [^\]]+\] n:\s*(\d+) pts:\s*-?\d+\s+pts_time:(-?[0-9.e+-]+)", out):
        (pts if inst == "0" else wall)[int(n)] = float(t)
    frames = [(pts[n], wall[n]) for n in range(len(pts)) if n in wall]
    return missed, len(frames), lags_to_live(frames) if frames else float("nan")


def gst_join(url):
    import json
    out = subprocess.run(["/usr/bin/python3", GST_SCRIPT, url, "175", "60"], capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    server_dir, extra = sys.argv[1], sys.argv[2:]
    make_clip()
    rtsp, http, rtp = free_port(), free_port(), free_port(socket.SOCK_DGRAM, even=True)
    log = open("/tmp/mediaserver-join-bench-server.log", "w")
    server = subprocess.Popen(["dotnet", os.path.join(server_dir, "MediaServer.dll"), "--Rtsp:Address=127.0.0.1", f"--Rtsp:Port={rtsp}",
                               f"--Rtsp:RtpPort={rtp}", "--Rtsp:TlsPort=0", "--Http:Address=127.0.0.1", f"--Http:Port={http}",
                               "--Http:TlsPort=0", "--WebRtc:UdpAddress=127.0.0.1", "--WebRtc:UdpPort=0", *extra], stdout=log, stderr=log)
    camera_log = "/tmp/mediaserver-join-bench-camera.log"
    camera = None
    try:
        for _ in range(150):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", rtsp)) == 0:
                    break
            time.sleep(0.2)
        camera = subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-stats", "-stats_period", "0.1",
                                   "-re", "-stream_loop", "-1", "-i", CLIP, "-c", "copy", "-t", "120", "-f", "rtsp",
                                   "-rtsp_transport", "tcp", f"rtsp://127.0.0.1:{rtsp}/busy"],
                                  stderr=open(camera_log, "w"))
        url = f"rtsp://127.0.0.1:{rtsp}/busy"
        wait_mid_gop(camera_log)
        missed, frames, lag = ffmpeg_join(url)
        print(f"ffmpeg  (udp, defaults): missed {missed} packets at join, lag to live {lag:.2f} s ({frames} frames)")
        wait_mid_gop(camera_log)
        g = gst_join(url)
        print(f"rtspsrc (defaults):      lost {g['lost']} of {g['lost'] + g['pushed']} packets at join, "
              f"timeline lag {g['lag'] if g['lag'] is None else round(g['lag'], 2)} s (+ its 2 s latency), {g['frames']} frames, error {g['error']}")
    finally:
        if camera:
            camera.kill()
        server.terminate()
        server.wait(timeout=30)
        log.close()
    with open("/tmp/mediaserver-join-bench-server.log", errors="replace") as f:
        for line in f:
            if "joined (" in line:
                print("server: " + line.split("Reader ", 1)[-1].strip())


if __name__ == "__main__":
    main()
