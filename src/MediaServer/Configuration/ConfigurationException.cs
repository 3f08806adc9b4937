namespace MediaServer.Configuration;

/// <summary>
/// The configuration cannot be used: each error names the key and says why. The executable prints
/// them and exits with code 2 instead of starting with a value the operator did not mean.
/// </summary>
public sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
