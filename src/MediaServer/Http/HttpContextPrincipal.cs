using MediaServer.Core.Access;
using Microsoft.AspNetCore.Http;

namespace MediaServer.Http;

/// <summary>Where the HTTP authentication middleware leaves the request's principal for the endpoints.</summary>
internal static class HttpContextPrincipal
{
    private static readonly object Key = new();

    public static Principal GetPrincipal(this HttpContext context) =>
        context.Items.TryGetValue(Key, out object? value) && value is Principal principal ? principal : Principal.Anonymous;

    public static void SetPrincipal(this HttpContext context, Principal principal) => context.Items[Key] = principal;
}
