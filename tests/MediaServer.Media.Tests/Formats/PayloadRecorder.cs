using MediaServer.Media.Formats;

namespace MediaServer.Media.Tests.Formats;

/// <summary>Keeps copies of what a packetizer hands out, with the marker bit of each.</summary>
internal sealed class PayloadRecorder : IRtpPayloadSink
{
    public List<byte[]> Payloads { get; } = [];

    public List<bool> Markers { get; } = [];

    public void OnPayload(ReadOnlySpan<byte> payload, bool marker)
    {
        Payloads.Add(payload.ToArray());
        Markers.Add(marker);
    }
}
