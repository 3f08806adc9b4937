using MediaServer.Core.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtsp.Client;

/// <summary>Pulls RTSP cameras (<c>rtsp://</c>, and <c>rtsps://</c> over TLS).</summary>
public sealed class RtspSourceConnector : ISourceConnector
{
    private readonly ILogger _logger;

    public RtspSourceConnector(ILogger<RtspSourceConnector>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public bool Handles(SourceUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme is "rtsp" or "rtsps";
    }

    public async Task<ISourceConnection> OpenAsync(SourceUri uri, SourceConnectOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        _logger.LogDebug("Opening {Source} ({Transport})", uri, options.Transport);

        // RTP over UDP would leave the TLS connection in clear: an rtsps camera plays interleaved unless UDP is asked for.
        bool udp = options.Transport == SourceTransport.Udp || (options.Transport == SourceTransport.Automatic && !uri.IsSecure);
        RtspClientSession session;
        try
        {
            session = await RtspClientSession.OpenAsync(uri, options, udp, _logger, cancellationToken);
        }
        catch (TransportRefusedException e) when (options.Transport == SourceTransport.Automatic)
        {
            _logger.LogDebug("{Source} refused UDP ({Reason}); opening over TCP", uri, e.Message);
            session = await RtspClientSession.OpenAsync(uri, options, udp: false, _logger, cancellationToken);
        }
        catch (TransportRefusedException e)
        {
            throw new SourceException(SourceFailureReason.Refused, e.Message);
        }

        return new RtspSourceConnection(uri, options, session, _logger);
    }
}
