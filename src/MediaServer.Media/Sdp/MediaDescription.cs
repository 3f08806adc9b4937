using System.Globalization;
using System.Text;

namespace MediaServer.Media.Sdp;

/// <summary>One m= section of an SDP (RFC 8866 §5.14) with its attributes.</summary>
public sealed class MediaDescription
{
    public string Media { get; set; } = "video";

    public int Port { get; set; }

    /// <summary>The "/count" of the m= port, when given.</summary>
    public int? PortCount { get; set; }

    public string Protocol { get; set; } = "RTP/AVP";

    public List<string> Formats { get; } = [];

    public string? Connection { get; set; }

    public List<string> Bandwidths { get; } = [];

    public List<SdpAttribute> Attributes { get; } = [];

    public string? Control
    {
        get => GetAttribute("control");
        set => SetAttribute("control", value);
    }

    public string? GetAttribute(string name)
    {
        foreach (SdpAttribute attribute in Attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value;
            }
        }

        return null;
    }

    public bool HasAttribute(string name) =>
        Attributes.Exists(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> GetAttributes(string name)
    {
        foreach (SdpAttribute attribute in Attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return attribute.Value ?? string.Empty;
            }
        }
    }

    /// <summary>Replaces the first attribute of that name, or appends one; null removes them all.</summary>
    public void SetAttribute(string name, string? value)
    {
        if (value is null)
        {
            RemoveAttributes(name);
            return;
        }

        int index = Attributes.FindIndex(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            Attributes[index] = new SdpAttribute(Attributes[index].Name, value);
        }
        else
        {
            Attributes.Add(new SdpAttribute(name, value));
        }
    }

    public void RemoveAttributes(string name) =>
        Attributes.RemoveAll(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    public RtpMap? GetRtpMap(int payloadType)
    {
        foreach (string value in GetAttributes("rtpmap"))
        {
            if (RtpMap.TryParse(value, out RtpMap? map) && map!.PayloadType == payloadType)
            {
                return map;
            }
        }

        return null;
    }

    /// <summary>The parameters of <c>a=fmtp:&lt;pt&gt; ...</c> for that payload type.</summary>
    public string? GetFmtp(int payloadType)
    {
        string prefix = payloadType.ToString(CultureInfo.InvariantCulture);
        foreach (string value in GetAttributes("fmtp"))
        {
            string text = value.TrimStart();
            if (text.StartsWith(prefix, StringComparison.Ordinal) && (text.Length == prefix.Length || char.IsWhiteSpace(text[prefix.Length])))
            {
                return text[prefix.Length..].Trim();
            }
        }

        return null;
    }

    /// <summary>A deep copy of this m= section.</summary>
    public MediaDescription Clone()
    {
        var copy = new MediaDescription
        {
            Media = Media,
            Port = Port,
            PortCount = PortCount,
            Protocol = Protocol,
            Connection = Connection,
        };
        copy.Formats.AddRange(Formats);
        copy.Bandwidths.AddRange(Bandwidths);
        copy.Attributes.AddRange(Attributes);
        return copy;
    }

    internal void WriteTo(StringBuilder sdp)
    {
        var line = new StringBuilder(64);
        line.Append(Media).Append(' ').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (PortCount is { } count)
        {
            line.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        line.Append(' ').Append(Protocol);
        foreach (string format in Formats)
        {
            line.Append(' ').Append(format);
        }

        SdpLineWriter.Append(sdp, 'm', line.ToString());
        if (Connection is not null)
        {
            SdpLineWriter.Append(sdp, 'c', Connection);
        }

        foreach (string bandwidth in Bandwidths)
        {
            SdpLineWriter.Append(sdp, 'b', bandwidth);
        }

        foreach (SdpAttribute attribute in Attributes)
        {
            SdpLineWriter.AppendAttribute(sdp, attribute);
        }
    }
}
