namespace MediaServer.Core.Metrics;

/// <summary>The label text of each <see cref="EgressTransport"/>, without formatting an enum per use.</summary>
public static class EgressTransportLabels
{
    private static readonly string[] Labels = ["rtsp_tcp", "rtsp_udp", "webrtc"];

    public static string Of(EgressTransport transport) => Labels[(int)transport];
}
