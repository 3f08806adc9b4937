namespace MediaServer.Rtsp.Server;

internal enum TransportKind
{
    None,
    Tcp,
    Udp,
}
