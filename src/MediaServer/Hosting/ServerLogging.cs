namespace MediaServer.Hosting;

/// <summary>The console log: one line per event (or one JSON object per line with <c>Logging:Format=json</c>), with scopes.</summary>
internal static class ServerLogging
{
    public static ILoggingBuilder AddServerLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        // The host's own start-up lines name every TCP listener http://, RTSP included: the server
        // logs its listeners itself (StartupLog), each with its scheme and setting.
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line, scopes (connection, session, path) as fields, for log shippers.
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        return logging;
    }
}
