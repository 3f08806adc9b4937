namespace MediaServer.Core.Access;

/// <summary>
/// Where RTSP offers and accepts Basic (<c>Auth:RtspBasic</c>). Basic sends the password itself
/// with every request, readable by anyone on the path unless the connection is RTSPS; Digest never
/// does. HTTP (WHEP, API, player) always takes Basic: its TLS is the operator's choice there.
/// </summary>
public enum RtspBasicPolicy
{
    /// <summary>On every RTSP connection (the default).</summary>
    Always,

    /// <summary>Only on RTSPS connections.</summary>
    Tls,

    /// <summary>Never: RTSP users log in with Digest only.</summary>
    Never,
}
