namespace MediaServer.WebRtc.Egress;

/// <summary>One lost packet the browser asked for again, queued from the UDP thread to the egress loop.</summary>
internal readonly record struct NackRequest(uint MediaSsrc, ushort SequenceNumber);
