namespace MediaServer.Core.Sources;

/// <summary>How a pulled RTSP source carries its media (<c>Paths:N:SourceTransport</c>).</summary>
public enum SourceTransport
{
    /// <summary>UDP first; TCP when the camera refuses UDP or no UDP packet arrives.</summary>
    Automatic,

    /// <summary>RTP interleaved on the RTSP connection.</summary>
    Tcp,

    /// <summary>RTP and RTCP on a UDP port pair.</summary>
    Udp,
}
