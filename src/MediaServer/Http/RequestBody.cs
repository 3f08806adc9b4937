using MediaServer.Core.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace MediaServer.Http;

/// <summary>
/// Reads a whole request body within a bound, and turns every way of passing a bound into one
/// 413: a Content-Length over it, a chunked body that grows past it while being read, or Kestrel's
/// own <c>Http:Limits:MaxRequestBodyBytes</c> stopping the read. Kestrel stops a read by throwing,
/// which unhandled would be logged as an application error with a stack trace; here it is one
/// warning line and a count in <c>mediaserver_limit_rejections_total{limit="http_body"}</c>.
/// </summary>
internal static class RequestBody
{
    public static async Task<RequestBodyRead> ReadAsync(HttpContext context, int maxBytes, ILogger logger)
    {
        long limit = Math.Min(maxBytes, context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? long.MaxValue);
        long? declared = context.Request.ContentLength;
        if (declared > limit)
        {
            return TooLarge(context, logger, limit);
        }

        using var memory = new MemoryStream(declared is { } length ? (int)length : 0);
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (memory.Length + read > limit)
                {
                    return TooLarge(context, logger, limit);
                }

                memory.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(context, logger, limit);
        }
        catch (BadHttpRequestException e)
        {
            // Malformed framing (a bad chunk header, a body cut short): the client's fault, not ours.
            logger.LogWarning(
                "HTTP {Method} {Path} from {Client}: bad request body: {Reason}",
                context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, e.Message);
            CloseAfterResponse(context);
            return new RequestBodyRead(null, e.StatusCode, "bad request body: " + e.Message);
        }

        return new RequestBodyRead(memory.ToArray(), StatusCodes.Status200OK, string.Empty);
    }

    private static RequestBodyRead TooLarge(HttpContext context, ILogger logger, long limit)
    {
        MetricsRegistry.LimitRejections.WithLabels("http_body").Inc();
        logger.LogWarning(
            "HTTP {Method} {Path} from {Client} refused with 413: body over {Limit} bytes",
            context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, limit);
        CloseAfterResponse(context);
        return new RequestBodyRead(null, StatusCodes.Status413PayloadTooLarge, $"the body is limited to {limit} bytes");
    }

    // The rest of a refused body is not worth reading to keep the connection alive.
    private static void CloseAfterResponse(HttpContext context)
    {
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }
    }
}
