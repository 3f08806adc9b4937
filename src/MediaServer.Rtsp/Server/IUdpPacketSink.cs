namespace MediaServer.Rtsp.Server;

/// <summary>Receives the UDP datagrams that arrive from one bound client address.</summary>
internal interface IUdpPacketSink
{
    void OnUdpPacket(ReadOnlySpan<byte> datagram, bool isRtcp);
}
