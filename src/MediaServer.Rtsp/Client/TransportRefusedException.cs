namespace MediaServer.Rtsp.Client;

/// <summary>The camera answered a UDP SETUP with 461: with the automatic transport, the attempt goes over TCP.</summary>
internal sealed class TransportRefusedException(string message) : Exception(message);
