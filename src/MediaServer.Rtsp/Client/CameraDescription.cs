using System.Text;
using MediaServer.Core.Sources;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// A camera's DESCRIBE answer turned into what the server publishes: the camera's RTP media, each
/// with the URL its SETUP goes to, and a description whose controls are the server's own
/// (<c>trackID=n</c>) and which names none of the camera's addresses, as a pushed ANNOUNCE's is
/// once stored. Parameter sets the camera leaves out of the SDP are learned in band by the stream.
/// </summary>
internal sealed class CameraDescription
{
    private CameraDescription(SessionDescription description, string[] setupUrls, string aggregateUrl)
    {
        Description = description;
        SetupUrls = setupUrls;
        AggregateUrl = aggregateUrl;
    }

    /// <summary>The tracks the stream carries; track n is media n.</summary>
    public SessionDescription Description { get; }

    /// <summary>Track n's SETUP URL on the camera.</summary>
    public IReadOnlyList<string> SetupUrls { get; }

    /// <summary>Where PLAY and TEARDOWN go: the session-level control, else the base URL.</summary>
    public string AggregateUrl { get; }

    /// <summary>Reads a 200 answer to DESCRIBE sent to <paramref name="requestUrl"/>; throws <see cref="SourceException"/>.</summary>
    public static CameraDescription FromDescribe(RtspResponse response, string requestUrl)
    {
        if (response.ContentType is { } type && !type.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase))
        {
            throw new SourceException(SourceFailureReason.Protocol, $"DESCRIBE answered {type}, not application/sdp");
        }

        string text = Encoding.UTF8.GetString(response.Body.Span);
        if (!SessionDescription.TryParse(text, out SessionDescription? camera, out string? error) || camera is null)
        {
            throw new SourceException(SourceFailureReason.Protocol, $"the camera's SDP does not parse: {error}");
        }

        string baseUrl = ControlUrl.WithoutCredentials(
            response.Headers.Get(RtspHeaderNames.ContentBase)
            ?? response.Headers.Get("Content-Location")
            ?? requestUrl);
        if (!baseUrl.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) && !baseUrl.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            baseUrl = requestUrl;
        }

        // A session-level control (RFC 2326 §C.1.1) is the aggregate URL; a relative one is relative to the base.
        string sessionControl = ControlUrl.Resolve(baseUrl, camera.GetAttribute("control"));
        var description = new SessionDescription
        {
            Origin = "- 0 0 IN IP4 0.0.0.0",
            SessionName = string.IsNullOrWhiteSpace(camera.SessionName) ? "-" : camera.SessionName,
        };
        var setupUrls = new List<string>(camera.Media.Count);
        foreach (MediaDescription media in camera.Media)
        {
            // Only RTP media can be carried (an m=application line of another protocol is not).
            if (!media.Protocol.StartsWith("RTP/", StringComparison.OrdinalIgnoreCase) || media.Formats.Count == 0)
            {
                continue;
            }

            MediaDescription track = media.Clone();
            setupUrls.Add(ControlUrl.Resolve(sessionControl, media.Control));
            track.Port = 0;
            track.PortCount = null;
            track.Connection = null;
            track.Control = $"trackID={setupUrls.Count - 1}";
            description.Media.Add(track);
        }

        if (description.Media.Count == 0)
        {
            throw new SourceException(SourceFailureReason.UnsupportedMedia, "the camera describes no RTP media");
        }

        return new CameraDescription(description, [.. setupUrls], sessionControl);
    }
}
