using System.Globalization;
using System.Text;

namespace MediaServer.LoadGenerator;

/// <summary>An answer of a pulled camera: status, headers, an optional body.</summary>
internal sealed class CameraRtspResponse
{
    private readonly List<(string Name, string Value)> _headers = [];

    public CameraRtspResponse(int status, string reason)
    {
        Status = status;
        Reason = reason;
    }

    public int Status { get; }

    public string Reason { get; }

    public string? ContentType { get; private set; }

    public string Body { get; private set; } = string.Empty;

    /// <summary>After the answer the connection is closed (a request it could not read).</summary>
    public bool CloseConnection { get; init; }

    public static CameraRtspResponse Ok() => new(200, "OK");

    public CameraRtspResponse With(string name, string value)
    {
        _headers.Add((name, value));
        return this;
    }

    public CameraRtspResponse WithBody(string contentType, string body)
    {
        ContentType = contentType;
        Body = body;
        return this;
    }

    public string? Header(string name) => _headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    public byte[] Encode(int? cseq)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"RTSP/1.0 {Status} {Reason}\r\n");
        if (cseq is { } number)
        {
            text.Append(CultureInfo.InvariantCulture, $"CSeq: {number}\r\n");
        }

        text.Append("Server: MediaServer.LoadGenerator camera\r\n");
        foreach ((string name, string value) in _headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        byte[] body = Encoding.UTF8.GetBytes(Body);
        if (ContentType is not null)
        {
            text.Append("Content-Type: ").Append(ContentType).Append("\r\n");
        }

        if (body.Length > 0 || ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        text.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(text.ToString()), .. body];
    }
}
