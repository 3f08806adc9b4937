namespace MediaServer.Lifecycle;

/// <summary>
/// Probes for orchestrators: <c>/healthz</c> (the process answers) and <c>/readyz</c> (it takes
/// new publishers and viewers; 503 while starting or draining). No credentials: a probe has none,
/// and neither answer says anything about streams.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (ServerState state) => state.IsReady
            ? Results.Text("ready\n")
            : Results.Text(state.IsDraining ? "draining\n" : "starting\n", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
