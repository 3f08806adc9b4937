using System.Net;
using System.Security.Cryptography.X509Certificates;
using MediaServer.Configuration;
using MediaServer.Http;
using MediaServer.Rtsp;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MediaServer.Hosting;

/// <summary>
/// The server's five TCP listeners: RTSP, HTTP, the metrics port, and RTSPS and HTTPS with a TLS
/// certificate. Their sockets are bound when this is made (<see cref="ListenerSockets"/>), so a
/// busy port stops start-up before anything else runs; Kestrel gets them in <see cref="Configure"/>.
/// </summary>
internal sealed class ServerListeners
{
    private readonly IPEndPoint? _rtsp;
    private readonly IPEndPoint? _http;
    private readonly IPEndPoint? _metrics;
    private readonly IPEndPoint? _rtsps;
    private readonly IPEndPoint? _https;
    private readonly X509Certificate2? _certificate;
    private readonly TlsOptions _tls;

    public ServerListeners(ServerConfiguration config, X509Certificate2? certificate, ListenerSockets sockets)
    {
        _certificate = certificate;
        _tls = config.Tls;
        IPAddress rtspAddress = IPAddress.Parse(config.Rtsp.Address);
        IPAddress httpAddress = IPAddress.Parse(config.Http.Address);
        _rtsp = config.Rtsp.Port >= 0 ? sockets.Bind(rtspAddress, config.Rtsp.Port, "Rtsp:Port", "rtsp") : null;
        _http = config.Http.Port >= 0 ? sockets.Bind(httpAddress, config.Http.Port, "Http:Port", "http") : null;
        _metrics = config.Metrics.Port >= 0
            ? sockets.Bind(IPAddress.Parse(config.Metrics.Address), config.Metrics.Port, "Metrics:Port", "http")
            : null;
        _rtsps = certificate is not null ? sockets.Bind(rtspAddress, config.Rtsp.TlsPort, "Rtsp:TlsPort", "rtsps") : null;
        _https = certificate is not null ? sockets.Bind(httpAddress, config.Http.TlsPort, "Http:TlsPort", "https") : null;
    }

    /// <summary>Runs when the server starts, with the application's services built.</summary>
    public void Configure(KestrelServerOptions kestrel, BoundPorts ports)
    {
        if (_rtsp is not null)
        {
            kestrel.ListenRtsp(_rtsp, listen => ports.Rtsp = listen);
        }

        if (_http is not null)
        {
            kestrel.ListenHttp(_http, listen => ports.Http = listen);
        }

        if (_metrics is not null)
        {
            MetricsListener metricsListener = kestrel.ApplicationServices.GetRequiredService<MetricsListener>();
            kestrel.ListenHttp(_metrics, listen =>
            {
                ports.Metrics = listen;
                metricsListener.Listen = listen;
            });
        }

        if (_certificate is not null && _rtsps is not null && _https is not null)
        {
            X509Certificate2 certificate = _certificate;
            TimeSpan handshakeTimeout = TimeSpan.FromSeconds(_tls.HandshakeTimeoutSeconds);
            Action<HttpsConnectionAdapterOptions> https = o =>
            {
                o.ServerCertificate = certificate;
                o.HandshakeTimeout = handshakeTimeout;
            };
            kestrel.ListenRtsp(_rtsps, listen => ports.Rtsps = listen, https);
            kestrel.ListenHttp(_https, listen => ports.Https = listen, https);
        }
    }
}
